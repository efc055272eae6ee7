// The eligibility verdict the API gave, with its French reasons and the équipe's override.

import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { CONTACT_EMAIL } from "../../certification";

export interface EligibilityView {
  state: string;
  eligible: boolean;
  eligibilityReasons: ReadonlyArray<string>;
  eligibilityOverrideReason?: string | null;
}

export function EligibilityVerdict({ application }: { application: EligibilityView }) {
  if (application.state === "REGISTERED") return null;
  const override = application.eligibilityOverrideReason;
  if (application.eligible) {
    return override == null ? (
      <Alert severity="success" small className="fr-mb-3w" description="Vous êtes éligible à la certification." />
    ) : (
      <Alert
        severity="success"
        as="h3"
        className="fr-mb-3w"
        title="Vous êtes éligible"
        description={`L'équipe animation a revu votre éligibilité : ${override}`}
      />
    );
  }
  return (
    <Alert
      severity="warning"
      as="h3"
      className="fr-mb-3w"
      title="Vous n'êtes pas éligible à cette session"
      description={
        <>
          {application.eligibilityReasons.length > 0 && (
            <ul>
              {application.eligibilityReasons.map((reason) => (
                <li key={reason}>{reason}</li>
              ))}
            </ul>
          )}
          {override != null && <p>Décision de l'équipe animation : {override}</p>}
          <p>
            Si votre situation a été mal décrite, écrivez à <a href={`mailto:${CONTACT_EMAIL}`}>{CONTACT_EMAIL}</a> :
            l'équipe animation peut revoir votre éligibilité.
          </p>
        </>
      }
    />
  );
}
