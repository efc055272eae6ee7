// The home page's sessions: the current and next ones with their dates and what happens next,
// and the action that fits: register while a registration is open, else join the waiting list.

import { useQuery } from "urql";
import { Accordion } from "@codegouvfr/react-dsfr/Accordion";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Link } from "react-router";
import { graphql } from "../../gql";
import type { CurrentSessionsQuery } from "../../gql/graphql";
import { ErrorAlert, Loading } from "../../app/status";
import { useViewer } from "../../app/viewer";
import { paths } from "../../routes";
import { parisDateTime } from "../../time";

const CurrentSessionsDocument = graphql(`
  query CurrentSessions {
    currentSessions {
      id
      label
      phase
      phaseLabel
      registrationOpensAt
      registrationClosesAt
      dossierDeadlineAt
      oralsStartAt
      oralsEndAt
      resultsAt
      lettersAt
      nextStep {
        label
        at
      }
    }
  }
`);

type Session = CurrentSessionsQuery["currentSessions"][number];

function SessionCalendar({ session }: { session: Session }) {
  const rows: Array<[string, string]> = [
    ["Ouverture des inscriptions", parisDateTime(session.registrationOpensAt)],
    ["Clôture des inscriptions", parisDateTime(session.registrationClosesAt)],
    ["Date limite d'envoi des dossiers", parisDateTime(session.dossierDeadlineAt)],
    ["Début des oraux", parisDateTime(session.oralsStartAt)],
    ["Fin des oraux", parisDateTime(session.oralsEndAt)],
    ["Publication des résultats", parisDateTime(session.resultsAt)],
    ["Courriers aux administrations", parisDateTime(session.lettersAt)],
  ];
  return (
    <ul>
      {rows.map(([what, when]) => (
        <li key={what}>
          {what} : {when}
        </li>
      ))}
    </ul>
  );
}

function SessionSummary({ session }: { session: Session }) {
  return (
    <div className="fr-mb-4w">
      <h3 className="fr-h5 fr-mb-1w">{session.label}</h3>
      <p className="fr-mb-1w">
        Étape en cours : <strong>{session.phaseLabel}</strong>
      </p>
      {session.nextStep != null && (
        <p className="fr-mb-2w">
          Prochaine étape : {session.nextStep.label}, le {parisDateTime(session.nextStep.at)}.
        </p>
      )}
      <Accordion label={`Calendrier complet de la ${session.label.toLowerCase()}`} titleAs="h4">
        <SessionCalendar session={session} />
      </Accordion>
    </div>
  );
}

export function SessionsSection() {
  const [{ data, fetching, error }] = useQuery({ query: CurrentSessionsDocument });
  const { viewer } = useViewer();
  const sessions = data?.currentSessions ?? [];
  const open = sessions.find((session) => session.phase === "REGISTRATION_OPEN");

  return (
    <section aria-labelledby="sessions-titre" className="fr-mb-6w">
      <h2 id="sessions-titre">Les sessions</h2>
      {fetching && data === undefined && <Loading label="Chargement des sessions…" />}
      {error !== undefined && data === undefined && (
        <ErrorAlert error={error} title="Les sessions n'ont pas pu être chargées" announce={false} as="h3" />
      )}
      {data !== undefined && sessions.length === 0 && <p>Aucune session n'est programmée pour le moment.</p>}
      {sessions.map((session) => (
        <SessionSummary key={session.id} session={session} />
      ))}
      {(data !== undefined || error !== undefined) && (
        <div className="fr-mb-2w">
          {open !== undefined ? (
            <>
              <p>Les inscriptions à la {open.label.toLowerCase()} sont ouvertes.</p>
              <Button iconId="fr-icon-arrow-right-line" iconPosition="right" linkProps={{ to: paths.register(open.id) }}>
                S'inscrire
              </Button>
            </>
          ) : (
            <>
              <p>Les inscriptions ne sont pas ouvertes en ce moment. Laissez votre adresse : nous vous écrirons à l'ouverture de la prochaine session.</p>
              <Button linkProps={{ to: paths.waitingList() }}>Être prévenu·e de la prochaine session</Button>
            </>
          )}
        </div>
      )}
      <p>
        Déjà inscrit·e ?{" "}
        <Link to={viewer?.candidate != null ? paths.space() : paths.signIn()}>Accéder à mon espace</Link>
      </p>
    </section>
  );
}
