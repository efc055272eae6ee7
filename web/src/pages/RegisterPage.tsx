import { useQuery } from "urql";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Link, useLocation, useNavigate, useSearchParams } from "react-router";
import { graphql } from "../gql";
import { Page } from "../app/Page";
import { ErrorAlert, Loading } from "../app/status";
import { useAnnounce } from "../app/announcer";
import { useViewer } from "../app/viewer";
import { paths } from "../routes";
import { parisDateTime } from "../time";
import { RegistrationForm, type Registered } from "./registration/RegistrationForm";

const OpenSessionsDocument = graphql(`
  query RegistrationCurrentSessions {
    currentSessions {
      id
      label
      phase
      registrationOpensAt
      registrationClosesAt
      dossierDeadlineAt
    }
  }
`);

const NamedSessionDocument = graphql(`
  query RegistrationNamedSession($id: ID!) {
    certificationSession(id: $id) {
      id
      label
      phase
      registrationOpensAt
      registrationClosesAt
      dossierDeadlineAt
    }
  }
`);

/** Where the page goes after an anonymous registration: the same path, with the address in the history state. */
interface SentState {
  sentTo: string;
}

function isSentState(state: unknown): state is SentState {
  return typeof state === "object" && state !== null && typeof (state as SentState).sentTo === "string";
}

function CheckYourMailbox({ email }: { email: string }) {
  return (
    <Page title="Vérifiez votre messagerie">
      <Alert
        severity="success"
        as="h2"
        className="fr-mb-4w"
        title="Votre inscription est enregistrée"
        description={`Un lien vous a été envoyé à ${email} pour confirmer votre adresse. Il est valable 30 minutes et ne sert qu'une fois.`}
      />
      <p>Votre inscription compte une fois votre adresse confirmée : ouvrez le lien du message reçu.</p>
      <p>
        Vous ne le trouvez pas ? Regardez dans vos courriers indésirables. Le lien a expiré ? Demandez-en un nouveau sur la
        page <Link to={paths.signIn()}>Se connecter</Link> : il confirme aussi votre adresse.
      </p>
    </Page>
  );
}

function NotOpen({ label, opensAt, closesAt }: { label: string | null; opensAt?: string; closesAt?: string }) {
  return (
    <>
      <p>
        {label === null
          ? "Aucune session n'est ouverte aux inscriptions en ce moment."
          : `Les inscriptions à la ${label.toLowerCase()} ne sont pas ouvertes en ce moment.`}
        {opensAt !== undefined &&
          closesAt !== undefined &&
          ` Elles sont ouvertes du ${parisDateTime(opensAt)} au ${parisDateTime(closesAt)}.`}
      </p>
      <p>Laissez votre adresse : nous vous écrirons à l'ouverture des prochaines inscriptions.</p>
      <Button linkProps={{ to: paths.waitingList() }}>Être prévenu·e de la prochaine session</Button>
    </>
  );
}

export default function RegisterPage() {
  const [params] = useSearchParams();
  const named = params.get("session");
  const location = useLocation();
  const navigate = useNavigate();
  const announce = useAnnounce();
  const { viewer, fetching: viewerFetching } = useViewer();

  const [current] = useQuery({ query: OpenSessionsDocument, pause: named !== null });
  const [one] = useQuery({ query: NamedSessionDocument, variables: { id: named ?? "" }, pause: named === null });
  const { data, fetching, error } = named === null ? current : one;

  if (isSentState(location.state)) return <CheckYourMailbox email={location.state.sentTo} />;

  const session =
    named === null
      ? current.data?.currentSessions.find((s) => s.phase === "REGISTRATION_OPEN")
      : (one.data?.certificationSession ?? undefined);

  const registered = (result: Registered) => {
    if (result.application != null) {
      announce("Votre inscription est enregistrée.");
      navigate(paths.space());
    } else {
      navigate(`${location.pathname}${location.search}`, { state: { sentTo: result.email } satisfies SentState });
    }
  };

  const loading = (fetching && data === undefined) || (viewer === null && viewerFetching);
  const title = session !== undefined ? `Inscription à la ${session.label.toLowerCase()}` : "S'inscrire à la certification";
  return (
    <Page title={title}>
      {loading && <Loading />}
      {!loading && error !== undefined && data === undefined && (
        <ErrorAlert error={error} title="La session n'a pas pu être chargée" announce={false} />
      )}
      {!loading && data !== undefined && session === undefined && (
        <>
          {named !== null && <p>Cette session est introuvable : le lien suivi est peut-être incomplet.</p>}
          <NotOpen label={null} />
        </>
      )}
      {!loading && session !== undefined && session.phase !== "REGISTRATION_OPEN" && (
        <NotOpen label={session.label} opensAt={session.registrationOpensAt} closesAt={session.registrationClosesAt} />
      )}
      {!loading && session !== undefined && session.phase === "REGISTRATION_OPEN" && (
        <>
          <p>
            Les inscriptions sont ouvertes jusqu'au {parisDateTime(session.registrationClosesAt)}. Vous aurez ensuite
            jusqu'au {parisDateTime(session.dossierDeadlineAt)} pour compléter votre dossier.
          </p>
          {viewer?.user != null && (
            <Alert
              severity="info"
              small
              className="fr-mb-4w"
              description="Vous êtes connecté·e avec un compte de l'équipe : ce formulaire est celui des candidat·es."
            />
          )}
          <RegistrationForm
            sessionId={session.id}
            candidate={viewer?.candidate ?? null}
            onRegistered={registered}
          />
        </>
      )}
    </Page>
  );
}
