// "Retirer ma candidature": a DSFR modal (it traps focus and gives it back) asking for
// confirmation and an optional reason, then `withdrawApplication`.

import { useState } from "react";
import { useMutation } from "urql";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { createModal } from "@codegouvfr/react-dsfr/Modal";
import { graphql } from "../../gql";
import { ErrorAlert } from "../../app/status";
import { useAnnounce } from "../../app/announcer";

const WithdrawApplicationDocument = graphql(`
  mutation WithdrawApplication($applicationId: ID!, $reason: String!) {
    withdrawApplication(applicationId: $applicationId, reason: $reason) {
      id
      state
      stateLabel
    }
  }
`);

const modal = createModal({ id: "retrait-candidature", isOpenedByDefault: false });

export function WithdrawDialog({
  applicationId,
  sessionLabel,
  booked,
  onWithdrawn,
}: {
  applicationId: string;
  sessionLabel: string;
  booked: boolean;
  onWithdrawn: () => void;
}) {
  const [reason, setReason] = useState("");
  const [{ fetching, error }, withdraw] = useMutation(WithdrawApplicationDocument);
  const announce = useAnnounce();

  const confirm = async () => {
    const result = await withdraw({ applicationId, reason: reason.trim() });
    if (result.error === undefined) {
      modal.close();
      announce("Votre candidature est retirée.");
      onWithdrawn();
    }
  };

  return (
    <section aria-labelledby="espace-retrait" className="fr-mb-6w">
      <h2 id="espace-retrait" className="fr-h4">
        Retirer ma candidature
      </h2>
      <p>Vous ne souhaitez plus passer la certification à cette session ? Vous pourrez vous inscrire à une prochaine.</p>
      <Button priority="secondary" iconId="fr-icon-close-circle-line" nativeButtonProps={modal.buttonProps}>
        Retirer ma candidature
      </Button>
      <modal.Component
        title="Retirer votre candidature ?"
        titleAs="h2"
        buttons={[
          { children: "Garder ma candidature", priority: "secondary" },
          {
            children: fetching ? "Retrait en cours…" : "Retirer ma candidature",
            doClosesModal: false,
            nativeButtonProps: { "aria-disabled": fetching },
            onClick: () => {
              if (!fetching) void confirm();
            },
          },
        ]}
      >
        {error !== undefined && <ErrorAlert error={error} as="h3" title="Le retrait n'a pas abouti" />}
        <p>
          Votre candidature à la {sessionLabel.toLowerCase()} sera retirée. Vous ne pourrez pas revenir en arrière.
          {booked && " Votre oral sera annulé, et le coach prévenu."}
        </p>
        <Input
          label="Raison (facultatif)"
          hintText="Elle aide l'équipe animation à améliorer la certification."
          textArea
          nativeTextAreaProps={{
            id: "retrait-raison",
            name: "reason",
            rows: 3,
            value: reason,
            onChange: (event) => setReason(event.target.value),
          }}
        />
      </modal.Component>
    </section>
  );
}
