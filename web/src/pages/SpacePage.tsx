import { useEffect, useRef } from "react";
import { useQuery } from "urql";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Stepper } from "@codegouvfr/react-dsfr/Stepper";
import { graphql } from "../gql";
import type { MySpaceQuery } from "../gql/graphql";
import { Page } from "../app/Page";
import { ErrorAlert, Loading } from "../app/status";
import { useViewer } from "../app/viewer";
import { steps } from "../certification";
import { paths } from "../routes";
import { EligibilityVerdict } from "./space/EligibilityVerdict";
import { EarlierApplications, Timeline } from "./space/History";
import { NEXT_STEP_HEADING_ID, NextStep } from "./space/NextStep";
import { WithdrawDialog } from "./space/WithdrawDialog";
import { finalStates, stepOfState } from "./space/progress";

const MySpaceDocument = graphql(`
  query MySpace {
    myApplications {
      id
      state
      stateLabel
      eligible
      eligibilityReasons
      eligibilityOverrideReason
      dossierDeadlineExtendedTo
      reviewMessage
      createdAt
      session {
        id
        label
        dossierDeadlineAt
        resultsAt
      }
      oral {
        bookingId
        startsAt
        endsAt
        mode
        coachName
        videoLink
        phone
        changeableUntil
        canReschedule
        calendarFile
      }
      timeline {
        fromState
        toState
        occurredAt
        actor
        reason
      }
    }
  }
`);

type Application = MySpaceQuery["myApplications"][number];

function Progress({ application }: { application: Application }) {
  const step = stepOfState[application.state];
  if (step === null) return null;
  const current = steps[step - 1];
  const next = steps[step];
  return (
    <Stepper
      currentStep={step}
      stepCount={steps.length}
      title={current?.short ?? ""}
      nextTitle={application.state === "INELIGIBLE" ? undefined : next?.short}
      className="fr-mb-3w"
    />
  );
}

function CurrentApplication({ application, onChanged }: { application: Application; onChanged: () => void }) {
  return (
    <>
      <section aria-labelledby="espace-candidature" className="fr-mb-4w">
        <h2 id="espace-candidature">{application.session.label}</h2>
        <Progress application={application} />
        <p>
          État de votre candidature : <strong>{application.stateLabel}</strong>
        </p>
        {application.state !== "WITHDRAWN" && <EligibilityVerdict application={application} />}
      </section>
      <NextStep application={application} />
      {!finalStates.has(application.state) && (
        <WithdrawDialog
          applicationId={application.id}
          sessionLabel={application.session.label}
          booked={application.oral != null}
          onWithdrawn={onChanged}
        />
      )}
    </>
  );
}

function SignInFirst({ staff }: { staff: boolean }) {
  return (
    <Page title="Mon espace candidat">
      {staff ? (
        <p>Cet espace est celui des candidat·es : vous êtes connecté·e avec un compte de l'équipe.</p>
      ) : (
        <>
          <p>Connectez-vous pour suivre votre candidature : nous vous envoyons un lien de connexion par email.</p>
          <Button linkProps={{ to: paths.signIn() }}>Se connecter</Button>
        </>
      )}
    </Page>
  );
}

export default function SpacePage() {
  const { viewer } = useViewer();
  const isCandidate = viewer?.candidate != null;
  const [{ data, fetching, error }, refetch] = useQuery({ query: MySpaceDocument, pause: !isCandidate });
  // After a withdrawal, its button is gone: focus goes to what to do next, once it is updated.
  const focusNextStep = useRef(false);
  useEffect(() => {
    if (!focusNextStep.current || data?.myApplications[0]?.state !== "WITHDRAWN") return;
    focusNextStep.current = false;
    document.getElementById(NEXT_STEP_HEADING_ID)?.focus();
  }, [data]);

  if (viewer === null) {
    return (
      <Page title="Mon espace candidat">
        <Loading />
      </Page>
    );
  }
  if (!isCandidate) return <SignInFirst staff={viewer.user != null} />;

  const applications = data?.myApplications ?? [];
  const [current, ...earlier] = applications;
  const withdrawn = () => {
    focusNextStep.current = true;
    refetch({ requestPolicy: "network-only" });
  };
  return (
    <Page title="Mon espace candidat">
      {fetching && data === undefined && <Loading label="Chargement de votre candidature…" />}
      {error !== undefined && data === undefined && (
        <ErrorAlert error={error} title="Votre candidature n'a pas pu être chargée" announce={false} />
      )}
      {data !== undefined && current === undefined && (
        <>
          <p>Vous n'avez pas encore de candidature.</p>
          <Button linkProps={{ to: paths.register() }}>S'inscrire à la certification</Button>
        </>
      )}
      {current !== undefined && <CurrentApplication application={current} onChanged={withdrawn} />}
      {current !== undefined && (
        <section aria-labelledby="espace-historique">
          <h2 id="espace-historique" className="fr-h4">
            Historique
          </h2>
          <Timeline events={current.timeline} />
          <EarlierApplications applications={earlier} />
        </section>
      )}
    </Page>
  );
}
