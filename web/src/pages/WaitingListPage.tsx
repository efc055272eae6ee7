import { useState, type FormEvent } from "react";
import { useMutation } from "urql";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Link } from "react-router";
import { graphql } from "../gql";
import { Page } from "../app/Page";
import { ErrorAlert } from "../app/status";
import { useAnnounce } from "../app/announcer";
import { paths } from "../routes";
import { EmailInput, useEmailField } from "./EmailField";

const JoinWaitingListDocument = graphql(`
  mutation JoinWaitingList($email: String!) {
    joinWaitingList(email: $email)
  }
`);

/** Said the same whether or not the address was already listed (the API answers the same). */
export const listedMessage = (email: string) =>
  `C'est noté : nous écrirons à ${email} dès l'ouverture des inscriptions de la prochaine session. Chaque message contient un lien pour quitter la liste d'attente.`;

const FIELD_ID = "liste-attente-email";

export default function WaitingListPage() {
  const field = useEmailField(FIELD_ID);
  const [listed, setListed] = useState<string | null>(null);
  const [{ fetching, error }, join] = useMutation(JoinWaitingListDocument);
  const announce = useAnnounce();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    // The button stays focusable while sending (a disabled one would drop the focus).
    if (fetching) return;
    const email = field.checked();
    if (email === null) return;
    const result = await join({ email });
    if (result.error === undefined) {
      setListed(email);
      announce(listedMessage(email));
    }
  };

  return (
    <Page title="Être prévenu·e de la prochaine session">
      <p>
        Les inscriptions ouvrent deux fois par an, pour les sessions de mai et de décembre. Laissez votre adresse
        électronique : nous vous écrirons dès l'ouverture des inscriptions. Elle ne sert qu'à cela.
      </p>
      {listed !== null && (
        <Alert severity="success" as="h2" className="fr-mb-4w" title="Vous êtes sur la liste d'attente" description={listedMessage(listed)} />
      )}
      {error !== undefined && <ErrorAlert error={error} />}
      <form onSubmit={(event) => void submit(event)} noValidate>
        <EmailInput field={field} />
        <Button type="submit" nativeButtonProps={{ "aria-disabled": fetching }}>
          {fetching ? "Envoi en cours…" : "Être prévenu·e"}
        </Button>
      </form>
      <p className="fr-mt-4w">
        Vous pouvez aussi écrire à <a href="mailto:contact@beta.gouv.fr">contact@beta.gouv.fr</a>.{" "}
        <Link to={paths.home()}>Revenir à l'accueil</Link>
      </p>
    </Page>
  );
}
