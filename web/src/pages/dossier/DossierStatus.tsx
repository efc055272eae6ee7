// Where the dossier stands, at the top of its page: the équipe's message when it was returned,
// whether it can still be changed, its deadline, and what is still missing.

import type { Ref } from "react";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import type { DossierFieldsFragment } from "../../gql/graphql";
import { dateTimeWithLocal, parisDateTime } from "../../time";

/** When the dossier was last submitted (the timeline's last move to SUBMITTED). */
export function submittedAt(dossier: DossierFieldsFragment): string | null {
  const events = dossier.application.timeline.filter((event) => event.toState === "SUBMITTED");
  return events.at(-1)?.occurredAt ?? null;
}

/** States in which the dossier was never sent: it is closed because the application is. */
const CLOSED_STATES: readonly string[] = ["REGISTERED", "INELIGIBLE", "WITHDRAWN"];

export interface DossierStatusProps {
  dossier: DossierFieldsFragment;
  /** The status heading, focused after the submission. */
  headingRef: Ref<HTMLHeadingElement>;
  justSubmitted: boolean;
}

export function DossierStatus({ dossier, headingRef, justSubmitted }: DossierStatusProps) {
  const { application } = dossier;
  const returned = application.state === "RETURNED";
  const sent = submittedAt(dossier);
  return (
    <section className="fr-mb-6w">
      <h2 ref={headingRef} tabIndex={-1}>
        Où en est votre dossier
      </h2>
      {returned && application.reviewMessage && (
        <Alert
          severity="warning"
          as="h3"
          className="fr-mb-3w"
          title="L'équipe animation vous a renvoyé votre dossier"
          description={
            <>
              <span style={{ whiteSpace: "pre-line", display: "block" }}>{application.reviewMessage}</span>
              <span className="fr-mt-2w" style={{ display: "block" }}>
                Complétez ou corrigez votre dossier, puis envoyez-le de nouveau.
              </span>
            </>
          }
        />
      )}
      {justSubmitted && (
        <Alert
          severity="success"
          as="h3"
          className="fr-mb-3w"
          title="Votre dossier est envoyé"
          description="L'équipe animation va le vérifier. Vous recevrez un email quand il sera trouvé complet, avec le lien pour réserver votre oral."
        />
      )}
      <p>
        État de votre candidature : <strong>{application.stateLabel}</strong> ({application.session.label}).
      </p>
      {dossier.editable ? (
        <p>
          À envoyer au plus tard le <strong>{dateTimeWithLocal(dossier.deadlineAt)}</strong>. Vos liens et vos fichiers sont
          enregistrés au fur et à mesure : vous pouvez revenir plus tard.
        </p>
      ) : CLOSED_STATES.includes(application.state) ? (
        <Alert
          severity="info"
          as="h3"
          className="fr-mb-3w"
          title="Votre dossier ne peut pas être modifié"
          description={`Votre candidature est à l'état « ${application.stateLabel} ».`}
        />
      ) : (
        <Alert
          severity="info"
          as="h3"
          className="fr-mb-3w"
          title={sent === null ? "Votre dossier a été envoyé" : `Dossier envoyé le ${parisDateTime(sent)}`}
          description="Il ne peut plus être modifié, sauf si l'équipe animation vous le renvoie pour le compléter."
        />
      )}
      {dossier.editable &&
        (dossier.missingItems.length > 0 ? (
          <div className="fr-alert fr-alert--info fr-mb-3w">
            <h3 className="fr-alert__title">Il manque encore</h3>
            <ul>
              {dossier.missingItems.map((item) => (
                <li key={item}>{item}</li>
              ))}
            </ul>
          </div>
        ) : (
          <Alert
            severity="success"
            small
            className="fr-mb-3w"
            description="Votre dossier est complet : vous pouvez l'envoyer (en bas de la page)."
          />
        ))}
    </section>
  );
}
