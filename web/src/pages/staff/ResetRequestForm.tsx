// Asks for a link to choose a new password (`requestPasswordReset`): the answer is the same
// whether the address has an account or not.

import { useState, type FormEvent } from "react";
import { useMutation } from "urql";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { graphql } from "../../gql";
import { ErrorAlert } from "../../app/status";
import { useAnnounce } from "../../app/announcer";
import { EmailInput, useEmailField } from "../EmailField";

const RequestPasswordResetDocument = graphql(`
  mutation RequestPasswordReset($email: String!) {
    requestPasswordReset(email: $email)
  }
`);

export const RESET_SENT_MESSAGE =
  "Si un compte de coach ou de l'équipe animation existe pour cette adresse, vous allez recevoir un lien pour choisir un nouveau mot de passe. Il est valable une heure et ne sert qu'une fois.";

const FIELD_ID = "reinitialisation-email";

export function ResetRequestForm({ as = "h2", heading = "Recevoir un nouveau lien" }: { as?: "h2" | "h3"; heading?: string }) {
  const field = useEmailField(FIELD_ID);
  const [sent, setSent] = useState(false);
  const [{ fetching, error }, request] = useMutation(RequestPasswordResetDocument);
  const announce = useAnnounce();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    // The button stays focusable while sending (a disabled one would drop the focus).
    if (fetching) return;
    const email = field.checked();
    if (email === null) return;
    const result = await request({ email });
    if (result.error === undefined) {
      setSent(true);
      announce(RESET_SENT_MESSAGE);
    }
  };

  const Heading = as;
  return (
    <form onSubmit={(event) => void submit(event)} noValidate>
      <Heading className="fr-h4">{heading}</Heading>
      {sent && <Alert severity="success" as={as === "h2" ? "h3" : "h4"} className="fr-mb-3w" title="Lien envoyé" description={RESET_SENT_MESSAGE} />}
      {error !== undefined && <ErrorAlert error={error} as={as === "h2" ? "h3" : "h4"} />}
      <EmailInput field={field} label="Adresse électronique de votre compte" />
      <Button type="submit" nativeButtonProps={{ "aria-disabled": fetching }}>
        {fetching ? "Envoi en cours…" : "Recevoir un lien"}
      </Button>
    </form>
  );
}
