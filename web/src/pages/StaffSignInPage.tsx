import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Link } from "react-router";
import { Page } from "../app/Page";
import { useViewer } from "../app/viewer";
import { paths } from "../routes";
import { StaffSignInForm } from "./staff/StaffSignInForm";

export default function StaffSignInPage() {
  const { viewer } = useViewer();
  return (
    <Page title="Connexion des coachs et de l'équipe animation">
      {viewer?.user != null && (
        <Alert
          severity="info"
          as="h2"
          small
          className="fr-mb-4w"
          description={`Vous êtes déjà connecté·e : ${viewer.user.displayName} (${viewer.user.email}).`}
        />
      )}
      <p>Vous êtes coach certificateur ou membre de l'équipe animation : connectez-vous avec votre mot de passe.</p>
      <StaffSignInForm />
      <p>
        Vous êtes candidat·e ? <Link to={paths.signIn()}>Recevez un lien de connexion par email</Link>.
      </p>
    </Page>
  );
}
