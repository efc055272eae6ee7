// « Envoyer mon dossier », behind a DSFR confirmation dialog: once sent, the dossier is locked
// (until the équipe returns it). The API's refusals are shown under the button: the missing
// items (DOSSIER_INCOMPLETE, with their list), the deadline (DEADLINE_PASSED), a lock.

import { useEffect, useState } from "react";
import { useMutation } from "urql";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { createModal } from "@codegouvfr/react-dsfr/Modal";
import { ErrorAlert } from "../../app/status";
import { describeError, errorCode, isRetryable, type ErrorLike } from "../../api/errors";
import { useAnnounce } from "../../app/announcer";
import type { DossierFieldsFragment } from "../../gql/graphql";
import { SubmitDossierDocument } from "./queries";

export const submitModal = createModal({ id: "envoyer-dossier", isOpenedByDefault: false });

export const SUBMIT_WARNING =
  "Une fois envoyé, votre dossier ne pourra plus être modifié, sauf si l'équipe vous le renvoie.";

export interface SubmitDossierProps {
  applicationId: string;
  missingItems: readonly string[];
  onSubmitted: (dossier: DossierFieldsFragment) => void;
  /** Refused for a reason that changes the dossier (incomplete, locked): reload it. */
  onRefused: () => void;
}

export function SubmitDossier({ applicationId, missingItems, onSubmitted, onRefused }: SubmitDossierProps) {
  const [{ fetching }, submit] = useMutation(SubmitDossierDocument);
  const [error, setError] = useState<ErrorLike | null>(null);

  const confirm = async () => {
    if (fetching) return;
    setError(null);
    const result = await submit({ applicationId });
    submitModal.close();
    if (result.error !== undefined || result.data === undefined) {
      setError(result.error ?? { graphQLErrors: [] });
      // Closed by the page, the dialog gives the focus back to no one: back to the button.
      document.getElementById(submitModal.buttonProps.id)?.focus();
      if (result.error !== undefined && ["DOSSIER_INCOMPLETE", "DOSSIER_LOCKED"].includes(errorCode(result.error))) onRefused();
      return;
    }
    onSubmitted(result.data.submitDossier);
  };

  const incomplete = error !== null && errorCode(error) === "DOSSIER_INCOMPLETE";
  // What the refusal listed may have been added since: the refusal is stale once the list changes.
  const missingKey = missingItems.join("|");
  useEffect(() => setError(null), [missingKey]);
  return (
    <section className="fr-mt-6w">
      <h2>Envoyer votre dossier</h2>
      <p>{SUBMIT_WARNING}</p>
      {error !== null && (
        <>
          {incomplete && missingItems.length > 0 ? (
            <IncompleteAlert error={error} missingItems={missingItems} />
          ) : (
            <ErrorAlert error={error} title="Votre dossier n'a pas été envoyé" />
          )}
          {isRetryable(error) && (
            <Alert severity="info" small className="fr-mb-3w" description="Vos liens et vos fichiers sont enregistrés : réessayez dans un instant." />
          )}
        </>
      )}
      <Button iconId="fr-icon-send-plane-fill" nativeButtonProps={submitModal.buttonProps}>
        Envoyer mon dossier
      </Button>
      <submitModal.Component
        title="Envoyer votre dossier ?"
        titleAs="h2"
        buttons={[
          { children: "Annuler", priority: "secondary" },
          {
            children: fetching ? "Envoi en cours…" : "Envoyer le dossier",
            doClosesModal: false,
            onClick: () => void confirm(),
          },
        ]}
      >
        <p>{SUBMIT_WARNING}</p>
        {missingItems.length > 0 && <p>Il manque encore : {missingItems.join(" ; ")}.</p>}
      </submitModal.Component>
    </section>
  );
}

/** DOSSIER_INCOMPLETE: the missing items as a list (the API's sentence is announced). */
function IncompleteAlert({ error, missingItems }: { error: ErrorLike; missingItems: readonly string[] }) {
  const say = useAnnounce();
  const { message } = describeError(error);
  useEffect(() => say(message, { assertive: true }), [message, say]);
  return (
    <div className="fr-alert fr-alert--error fr-mb-3w">
      <h3 className="fr-alert__title">Votre dossier n'a pas été envoyé : il est incomplet</h3>
      <p>Il manque :</p>
      <ul>
        {missingItems.map((item) => (
          <li key={item}>{item}</li>
        ))}
      </ul>
    </div>
  );
}
