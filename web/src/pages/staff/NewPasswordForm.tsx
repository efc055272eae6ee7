// Choosing a password with an emailed link's token (`setPassword`). The API decides the
// policy: its refusal is shown on the field; only a blank field or two different entries are
// caught here.

import { useState, type FormEvent } from "react";
import { useMutation } from "urql";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { graphql } from "../../gql";
import { describeError, errorCode, isTokenError, type ErrorLike } from "../../api/errors";
import { ErrorAlert } from "../../app/status";
import { PasswordVisibility } from "./PasswordVisibility";

const SetPasswordDocument = graphql(`
  mutation SetPassword($token: String!, $newPassword: String!) {
    setPassword(token: $token, newPassword: $newPassword) {
      id
      email
    }
  }
`);

const NEW_ID = "nouveau-mot-de-passe";
const CONFIRM_ID = "confirmation-mot-de-passe";

export interface NewPasswordFormProps {
  token: string;
  submitLabel: string;
  /** The password is set: the account's address, to sign in with. */
  onDone: (email: string) => void;
  /** The link's token was refused (unknown, expired, used). */
  onTokenRefused: (error: ErrorLike) => void;
}

export function NewPasswordForm({ token, submitLabel, onDone, onTokenRefused }: NewPasswordFormProps) {
  const [password, setPassword] = useState("");
  const [confirmation, setConfirmation] = useState("");
  const [visible, setVisible] = useState(false);
  const [problems, setProblems] = useState<{ password?: string; confirmation?: string }>({});
  const [failure, setFailure] = useState<ErrorLike | null>(null);
  const [{ fetching }, setPasswordWithToken] = useMutation(SetPasswordDocument);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    // The button stays focusable while sending (a disabled one would drop the focus).
    if (fetching) return;
    setFailure(null);
    const found = {
      password: password === "" ? "Saisissez un mot de passe." : undefined,
      confirmation:
        password !== "" && confirmation !== password ? "Les deux mots de passe ne sont pas identiques." : undefined,
    };
    setProblems(found);
    if (found.password !== undefined || found.confirmation !== undefined) {
      document.getElementById(found.password !== undefined ? NEW_ID : CONFIRM_ID)?.focus();
      return;
    }
    const result = await setPasswordWithToken({ token, newPassword: password });
    if (result.error === undefined && result.data !== undefined) {
      onDone(result.data.setPassword.email);
      return;
    }
    const error: ErrorLike = result.error ?? {};
    if (isTokenError(error)) {
      onTokenRefused(error);
    } else if (errorCode(error) === "BAD_USER_INPUT") {
      setProblems({ password: describeError(error).message });
      document.getElementById(NEW_ID)?.focus();
    } else {
      setFailure(error);
    }
  };

  return (
    <form onSubmit={(event) => void submit(event)} noValidate>
      {failure !== null && <ErrorAlert error={failure} title="Le mot de passe n'a pas été enregistré" />}
      <Input
        label="Nouveau mot de passe"
        hintText="Entre 12 et 128 caractères. Une phrase de plusieurs mots est facile à retenir ; évitez un mot de passe courant ou votre nom."
        state={problems.password === undefined ? "default" : "error"}
        stateRelatedMessage={problems.password}
        nativeInputProps={{
          id: NEW_ID,
          type: visible ? "text" : "password",
          name: "new-password",
          autoComplete: "new-password",
          spellCheck: false,
          value: password,
          onChange: (event) => setPassword(event.target.value),
          "aria-invalid": problems.password !== undefined,
        }}
      />
      <Input
        label="Confirmez le mot de passe"
        state={problems.confirmation === undefined ? "default" : "error"}
        stateRelatedMessage={problems.confirmation}
        nativeInputProps={{
          id: CONFIRM_ID,
          type: visible ? "text" : "password",
          name: "confirm-password",
          autoComplete: "new-password",
          spellCheck: false,
          value: confirmation,
          onChange: (event) => setConfirmation(event.target.value),
          "aria-invalid": problems.confirmation !== undefined,
        }}
      />
      <PasswordVisibility id="mot-de-passe-afficher" visible={visible} onChange={setVisible} label="Afficher les mots de passe" />
      <Button type="submit" nativeButtonProps={{ "aria-disabled": fetching }}>
        {fetching ? "Enregistrement…" : submitLabel}
      </Button>
    </form>
  );
}
