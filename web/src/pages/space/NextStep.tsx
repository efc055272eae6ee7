// "What to do next" for the current application, by its state (the API's).

import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import type { ApplicationState } from "../../gql/graphql";
import { CONTACT_EMAIL } from "../../certification";
import { paths } from "../../routes";
import { dateTimeWithLocal, parisDateTime } from "../../time";
import { OralDetails, type OralView } from "./OralDetails";

export interface NextStepView {
  id: string;
  state: ApplicationState;
  reviewMessage?: string | null;
  dossierDeadlineExtendedTo?: string | null;
  session: { dossierDeadlineAt: string; resultsAt: string };
  oral?: OralView | null;
}

function DossierCall({ application, label }: { application: NextStepView; label: string }) {
  const deadline = application.dossierDeadlineExtendedTo ?? application.session.dossierDeadlineAt;
  return (
    <>
      <p>
        Envoyez votre dossier avant le {dateTimeWithLocal(deadline)}. Comptez environ 4 à 5 heures de travail : les liens
        du site et de la fiche produit de la startup, des comptes rendus d'entretiens utilisateurs, des maquettes, un
        exemple de tableau d'investissement et le support de présentation du service.
      </p>
      <Button linkProps={{ to: paths.dossier(application.id) }}>{label}</Button>
    </>
  );
}

function Content({ application }: { application: NextStepView }) {
  switch (application.state) {
    case "REGISTERED":
      return (
        <p>
          Confirmez votre adresse électronique avec le lien reçu par email : votre inscription compte une fois l'adresse
          confirmée.
        </p>
      );
    case "INELIGIBLE":
      return <p>Votre candidature ne peut pas aller plus loin pour cette session.</p>;
    case "ELIGIBLE":
    case "DOSSIER_IN_PROGRESS":
      return <DossierCall application={application} label="Compléter mon dossier" />;
    case "RETURNED":
      return (
        <>
          <Alert
            severity="warning"
            as="h3"
            className="fr-mb-3w"
            title="L'équipe animation vous a renvoyé votre dossier"
            description={application.reviewMessage ?? "Complétez votre dossier puis envoyez-le de nouveau."}
          />
          <DossierCall application={application} label="Reprendre mon dossier" />
        </>
      );
    case "SUBMITTED":
      return (
        <>
          <p>
            Votre dossier est envoyé. L'équipe animation le vérifie : vous recevrez un email quand il sera complet, ou s'il
            faut le compléter.
          </p>
          <Button priority="secondary" linkProps={{ to: paths.dossier(application.id) }}>
            Consulter mon dossier
          </Button>
        </>
      );
    case "COMPLETE":
      return (
        <p>
          Votre dossier est complet. Vous avez reçu un email pour choisir la date de votre oral : ouvrez le lien de cet
          email pour réserver un créneau. Vous ne le trouvez pas ? Regardez dans vos courriers indésirables, ou écrivez à{" "}
          <a href={`mailto:${CONTACT_EMAIL}`}>{CONTACT_EMAIL}</a>.
        </p>
      );
    case "BOOKED":
      return application.oral != null ? (
        <OralDetails oral={application.oral} />
      ) : (
        <p>Votre oral est réservé : les détails sont dans l'email de confirmation.</p>
      );
    case "INTERVIEWED":
      return (
        <p>
          Votre oral a eu lieu. Votre résultat sera publié après la délibération du jury, à partir du{" "}
          {parisDateTime(application.session.resultsAt)} ; vous recevrez un email.
        </p>
      );
    case "LAUREATE":
    case "NOT_CERTIFIED":
    case "POSTPONED":
      return (
        <>
          <p>Votre résultat est publié.</p>
          <Button linkProps={{ to: paths.result(application.id) }}>Voir mon résultat</Button>
        </>
      );
    case "WITHDRAWN":
      return (
        <>
          <p>Vous avez retiré votre candidature. Vous pourrez vous inscrire à une prochaine session.</p>
          <Button priority="secondary" linkProps={{ to: paths.home() }}>
            Voir les prochaines sessions
          </Button>
        </>
      );
  }
}

export const NEXT_STEP_HEADING_ID = "espace-suite";

export function NextStep({ application }: { application: NextStepView }) {
  return (
    <section aria-labelledby={NEXT_STEP_HEADING_ID} className="fr-mb-6w">
      <h2 id={NEXT_STEP_HEADING_ID} tabIndex={-1}>{application.state === "BOOKED" ? "Votre oral" : "Et maintenant ?"}</h2>
      <Content application={application} />
    </section>
  );
}
