import { useQuery } from "urql";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { CallOut } from "@codegouvfr/react-dsfr/CallOut";
import { Link, useParams } from "react-router";
import { graphql } from "../gql";
import { Page } from "../app/Page";
import { ErrorAlert, Loading } from "../app/status";
import { useViewer } from "../app/viewer";
import { decisionLabels } from "../labels";
import { paths } from "../routes";
import { parisDate, parisDateTime } from "../time";
import { CertificateSection } from "./result/CertificateSection";
import { CompetenceFeedbackList } from "./result/CompetenceFeedbackList";
import { LettersSection } from "./result/LettersSection";

const MyResultDocument = graphql(`
  query MyResult($applicationId: ID!) {
    myResults {
      applicationId
      decision
      overallComment
      publishedAt
      competences {
        name
        acquired
        comment
      }
    }
    application(id: $applicationId) {
      id
      state
      letterConsent
      session {
        label
        resultsAt
        lettersAt
      }
      certificate {
        number
        title
        sessionLabel
        issuedOn
        revoked
        downloadUrl
        verifyUrl
      }
      administrationLetters {
        id
        recipient
        recipientName
        recipientEmail
        delivery {
          state
          sentAt
        }
      }
    }
  }
`);

const TITLE = "Mon résultat";

export default function ResultPage() {
  const { applicationId = "" } = useParams();
  const { viewer } = useViewer();
  const isCandidate = viewer?.candidate != null;
  const [{ data, fetching, error }] = useQuery({
    query: MyResultDocument,
    variables: { applicationId },
    pause: !isCandidate,
  });

  if (viewer !== null && !isCandidate) {
    return (
      <Page title={TITLE}>
        <p>Connectez-vous pour lire votre résultat.</p>
        <Button linkProps={{ to: paths.signIn() }}>Se connecter</Button>
      </Page>
    );
  }
  if (data === undefined) {
    return (
      <Page title={TITLE}>
        {(viewer === null || fetching) && <Loading label="Chargement de votre résultat…" />}
        {error !== undefined && <ErrorAlert error={error} title="Votre résultat n'a pas pu être chargé" announce={false} />}
        <p>
          <Link to={paths.space()}>Revenir à mon espace</Link>
        </p>
      </Page>
    );
  }

  const { application } = data;
  const result = data.myResults.find((r) => r.applicationId === application.id);
  if (result === undefined || result.decision == null) {
    return (
      <Page title={TITLE}>
        <p>
          Votre résultat sera publié après la délibération du jury, à partir du{" "}
          {parisDateTime(application.session.resultsAt)}. Vous recevrez un email.
        </p>
        <p>
          <Link to={paths.space()}>Revenir à mon espace</Link>
        </p>
      </Page>
    );
  }

  const laureate = result.decision === "LAUREATE";
  return (
    <Page title={TITLE} heading={`Mon résultat — ${application.session.label}`}>
      <CallOut title={`Décision du jury : ${decisionLabels[result.decision]}`} titleAs="h2" className="fr-mb-4w">
        {result.publishedAt != null && <>Publiée le {parisDate(result.publishedAt)}. </>}
        {laureate
          ? "Félicitations : vous êtes certifié·e."
          : result.decision === "NOT_CERTIFIED"
            ? "Vous n'êtes pas certifié·e à cette session."
            : "L'équipe animation peut reporter votre candidature, avec votre dossier, à la session suivante."}
      </CallOut>
      {result.overallComment.trim() !== "" && (
        <section aria-labelledby="resultat-avis" className="fr-mb-4w">
          <h2 id="resultat-avis">L'avis du jury</h2>
          <p style={{ whiteSpace: "pre-line" }}>{result.overallComment}</p>
        </section>
      )}
      {result.competences.length > 0 && (
        <section aria-labelledby="resultat-competences" className="fr-mb-6w">
          <h2 id="resultat-competences">Compétence par compétence</h2>
          <CompetenceFeedbackList competences={result.competences} />
        </section>
      )}
      {application.certificate != null && <CertificateSection certificate={application.certificate} />}
      {laureate && (
        <LettersSection
          letterConsent={application.letterConsent}
          lettersAt={application.session.lettersAt}
          letters={application.administrationLetters}
        />
      )}
      <p>
        <Link to={paths.space()}>Revenir à mon espace</Link>
      </p>
    </Page>
  );
}
