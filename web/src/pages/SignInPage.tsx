import { useState, type FormEvent } from "react";
import { useMutation } from "urql";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Link } from "react-router";
import { graphql } from "../gql";
import { Page } from "../app/Page";
import { ErrorAlert } from "../app/status";
import { useAnnounce } from "../app/announcer";
import { useViewer } from "../app/viewer";
import { paths } from "../routes";
import { EmailInput, useEmailField } from "./EmailField";

const RequestSignInLinkDocument = graphql(`
  mutation RequestSignInLink($email: String!) {
    requestSignInLink(email: $email)
  }
`);

export const SENT_MESSAGE =
  "Si un compte candidat existe pour cette adresse, vous allez recevoir un lien de connexion. Il est valable 30 minutes et ne sert qu'une fois. Pensez à regarder dans vos courriers indésirables.";

export default function SignInPage() {
  const { viewer } = useViewer();
  const field = useEmailField("connexion-email");
  const [sentTo, setSentTo] = useState<string | null>(null);
  const [{ fetching, error }, request] = useMutation(RequestSignInLinkDocument);
  const announce = useAnnounce();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    // The button stays focusable while sending (a disabled one would drop the focus).
    if (fetching) return;
    const email = field.checked();
    if (email === null) return;
    const result = await request({ email });
    if (result.error === undefined) {
      setSentTo(email);
      announce(SENT_MESSAGE);
    }
  };

  return (
    <Page title="Se connecter">
      {viewer?.candidate != null && (
        <Alert
          severity="info"
          as="h2"
          className="fr-mb-4w"
          title={`Vous êtes déjà connecté·e (${viewer.candidate.email})`}
          description={<Link to={paths.space()}>Aller à mon espace candidat</Link>}
        />
      )}
      <p>
        Vous êtes candidat·e : saisissez l'adresse électronique de votre inscription, nous vous envoyons un lien de
        connexion. Pas de mot de passe à retenir.
      </p>
      {sentTo !== null && (
        <Alert severity="success" as="h2" className="fr-mb-4w" title="Lien envoyé" description={SENT_MESSAGE} />
      )}
      {error !== undefined && <ErrorAlert error={error} />}
      <form onSubmit={(event) => void submit(event)} noValidate>
        <EmailInput field={field} />
        <Button type="submit" nativeButtonProps={{ "aria-disabled": fetching }}>
          {fetching ? "Envoi en cours…" : "Recevoir un lien de connexion"}
        </Button>
      </form>
      <p className="fr-mt-4w">
        Pas encore inscrit·e ? <Link to={paths.register()}>S'inscrire à la certification</Link>.
      </p>
      <p>
        Vous êtes coach ou membre de l'équipe animation ?{" "}
        <Link to={paths.staffSignIn()}>Se connecter avec un mot de passe</Link>.
      </p>
    </Page>
  );
}
