// The pages of the emailed password links — a reset (`/mot-de-passe/<token>`) and an invitation
// (`/invitation/<token>`): choose a password, then sign in on the same page. A refused link
// says why and how to get a new one.

import { useEffect, useState } from "react";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Link, useLocation, useNavigate } from "react-router";
import type { ErrorLike } from "../../api/errors";
import { ErrorAlert } from "../../app/status";
import { Page } from "../../app/Page";
import { CONTACT_EMAIL } from "../../certification";
import { paths } from "../../routes";
import { useTokenFromPath } from "../useTokenFromPath";
import { NewPasswordForm } from "./NewPasswordForm";
import { ResetRequestForm } from "./ResetRequestForm";
import { StaffSignInForm } from "./StaffSignInForm";

export type PasswordLinkKind = "password" | "invitation";

interface DoneState {
  passwordSetFor: string;
}

const isDone = (state: unknown): state is DoneState =>
  typeof state === "object" && state !== null && typeof (state as DoneState).passwordSetFor === "string";

function NewLinkHelp({ kind }: { kind: PasswordLinkKind }) {
  if (kind === "password") return <ResetRequestForm />;
  return (
    <p>
      Demandez une nouvelle invitation à l'équipe animation : <a href={`mailto:${CONTACT_EMAIL}`}>{CONTACT_EMAIL}</a>.
      Vous avez déjà choisi votre mot de passe ? <Link to={paths.staffSignIn()}>Connectez-vous</Link>.
    </p>
  );
}

export function SetPasswordFlow({ kind }: { kind: PasswordLinkKind }) {
  const { token, forget } = useTokenFromPath(kind);
  const [refused, setRefused] = useState<ErrorLike | null>(null);
  const location = useLocation();
  const navigate = useNavigate();

  // The form is replaced by the explanation: focus its heading, as a navigation would.
  useEffect(() => {
    if (refused !== null) document.querySelector<HTMLElement>("main h1")?.focus();
  }, [refused]);

  if (isDone(location.state)) {
    return (
      <Page title="Mot de passe enregistré">
        <Alert
          severity="success"
          as="h2"
          small
          className="fr-mb-4w"
          description="Votre mot de passe est enregistré. Connectez-vous avec votre adresse et ce mot de passe."
        />
        <StaffSignInForm initialEmail={location.state.passwordSetFor} headingLevel="h2" />
      </Page>
    );
  }

  if (refused !== null || token === null) {
    const invitation = kind === "invitation";
    if (token === null && refused === null && !invitation) {
      return (
        <Page title="Mot de passe oublié">
          <p>
            Vous êtes coach ou membre de l'équipe animation : saisissez l'adresse de votre compte, nous vous envoyons un
            lien pour choisir un nouveau mot de passe.
          </p>
          <ResetRequestForm heading="Recevoir un lien" />
          <p className="fr-mt-4w">
            <Link to={paths.staffSignIn()}>Revenir à la connexion</Link>
          </p>
        </Page>
      );
    }
    return (
      <Page title={invitation ? "Lien d'invitation non valable" : "Lien de mot de passe non valable"}>
        {refused !== null ? (
          <ErrorAlert error={refused} title="Ce lien ne permet pas de choisir un mot de passe" />
        ) : (
          <p>Ce lien d'invitation est incomplet : ouvrez le lien reçu par email en entier.</p>
        )}
        <p>
          {invitation
            ? "Un lien d'invitation est valable 7 jours et ne sert qu'une fois."
            : "Un lien pour choisir un mot de passe est valable une heure et ne sert qu'une fois."}
        </p>
        <NewLinkHelp kind={kind} />
      </Page>
    );
  }

  return (
    <Page title={kind === "invitation" ? "Activer mon compte" : "Choisir un nouveau mot de passe"}>
      <p>
        {kind === "invitation"
          ? "Vous avez été invité·e à rejoindre la certification des intras comme coach ou membre de l'équipe animation. Choisissez votre mot de passe pour activer votre compte."
          : "Choisissez un nouveau mot de passe pour votre compte de coach ou de l'équipe animation. Vos autres connexions prendront fin."}
      </p>
      <NewPasswordForm
        token={token}
        submitLabel={kind === "invitation" ? "Activer mon compte" : "Enregistrer le mot de passe"}
        onDone={(email) => {
          forget();
          navigate(location.pathname, { replace: true, state: { passwordSetFor: email } satisfies DoneState });
        }}
        onTokenRefused={(error) => {
          forget();
          setRefused(error);
        }}
      />
    </Page>
  );
}
