import { useState } from "react";
import { useMutation } from "urql";
import { Link } from "react-router";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { graphql } from "../gql";
import { Page } from "../app/Page";
import { ErrorAlert } from "../app/status";
import { useAnnounce } from "../app/announcer";
import { isTokenError } from "../api/errors";
import { paths } from "../routes";
import { useTokenFromPath } from "./useTokenFromPath";

const LeaveWaitingListDocument = graphql(`
  mutation LeaveWaitingList($token: String!) {
    leaveWaitingList(token: $token)
  }
`);

export const LEFT_MESSAGE =
  "Vous ne figurez plus sur la liste d'attente : vous ne recevrez plus de message à l'ouverture des inscriptions.";

export default function LeaveWaitingListPage() {
  const { token, forget } = useTokenFromPath("waitingListLeave");
  const [{ fetching, error }, leave] = useMutation(LeaveWaitingListDocument);
  const [left, setLeft] = useState(false);
  const announce = useAnnounce();

  const confirm = async () => {
    if (token === null) return;
    const result = await leave({ token });
    if (result.error === undefined) {
      forget();
      setLeft(true);
      announce(LEFT_MESSAGE);
    } else if (isTokenError(result.error)) {
      forget();
    }
  };

  if (left) {
    return (
      <Page title="Vous avez quitté la liste d'attente">
        <Alert severity="success" as="h2" className="fr-mb-4w" title="C'est fait" description={LEFT_MESSAGE} />
        <p>
          Vous avez changé d'avis ? <Link to={paths.waitingList()}>Vous inscrire de nouveau sur la liste d'attente</Link>.
        </p>
      </Page>
    );
  }
  if (token === null || (error !== undefined && isTokenError(error))) {
    return (
      <Page title="Lien de désinscription non valable">
        {error !== undefined ? (
          <ErrorAlert error={error} title="Ce lien ne permet pas de quitter la liste d'attente" />
        ) : (
          <p>Ce lien de désinscription est incomplet.</p>
        )}
        <p>
          Chaque message envoyé aux personnes de la liste d'attente contient son propre lien de désinscription : utilisez
          celui du dernier message reçu. Si vous ne recevez plus nos messages, vous n'êtes plus sur la liste.
        </p>
        <p>
          <Link to={paths.home()}>Revenir à l'accueil</Link>
        </p>
      </Page>
    );
  }
  return (
    <Page title="Quitter la liste d'attente">
      <p>
        Vous êtes sur la liste d'attente de la certification des intras : nous vous écrivons quand les inscriptions
        d'une session ouvrent. Confirmez pour ne plus recevoir ces messages.
      </p>
      {error !== undefined && <ErrorAlert error={error} />}
      <Button onClick={() => void confirm()} disabled={fetching}>
        {fetching ? "Envoi en cours…" : "Quitter la liste d'attente"}
      </Button>
    </Page>
  );
}
