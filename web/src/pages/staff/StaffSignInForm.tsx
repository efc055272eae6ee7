// Coaches and the équipe animation sign in with their email and password (`login`), then go
// to the home page (their own spaces come with the next parts of the app).

import { useState, type FormEvent } from "react";
import { useMutation } from "urql";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { Link, useNavigate } from "react-router";
import { graphql } from "../../gql";
import { ErrorAlert } from "../../app/status";
import { useAnnounce } from "../../app/announcer";
import { useViewer } from "../../app/viewer";
import { paths } from "../../routes";
import { emailProblem } from "../forms";
import { PasswordVisibility } from "./PasswordVisibility";

const LoginDocument = graphql(`
  mutation Login($email: String!, $password: String!) {
    login(email: $email, password: $password) {
      expiresAt
      viewer {
        user {
          displayName
        }
      }
    }
  }
`);

const EMAIL_ID = "equipe-email";
const PASSWORD_ID = "equipe-mot-de-passe";

export function StaffSignInForm({ initialEmail = "", headingLevel }: { initialEmail?: string; headingLevel?: "h2" }) {
  const [email, setEmail] = useState(initialEmail);
  const [password, setPassword] = useState("");
  const [visible, setVisible] = useState(false);
  const [problems, setProblems] = useState<{ email?: string; password?: string }>({});
  const [{ fetching, error }, login] = useMutation(LoginDocument);
  const { sessionChanged } = useViewer();
  const navigate = useNavigate();
  const announce = useAnnounce();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    // The button stays focusable while sending (a disabled one would drop the focus).
    if (fetching) return;
    const found = {
      email: emailProblem(email) ?? undefined,
      password: password === "" ? "Saisissez votre mot de passe." : undefined,
    };
    setProblems(found);
    if (found.email !== undefined || found.password !== undefined) {
      document.getElementById(found.email !== undefined ? EMAIL_ID : PASSWORD_ID)?.focus();
      return;
    }
    const result = await login({ email: email.trim(), password });
    if (result.error === undefined && result.data !== undefined) {
      sessionChanged();
      announce(`Vous êtes connecté·e : ${result.data.login.viewer.user?.displayName ?? email.trim()}.`);
      navigate(paths.home());
    }
  };

  return (
    <form onSubmit={(event) => void submit(event)} noValidate>
      {headingLevel === "h2" && <h2 className="fr-h4">Se connecter</h2>}
      {error !== undefined && <ErrorAlert error={error} title="La connexion n'a pas abouti" as={headingLevel === "h2" ? "h3" : "h2"} />}
      <Input
        label="Adresse électronique"
        hintText="Format attendu : nom@domaine.fr"
        state={problems.email === undefined ? "default" : "error"}
        stateRelatedMessage={problems.email}
        nativeInputProps={{
          id: EMAIL_ID,
          type: "email",
          name: "email",
          autoComplete: "username",
          inputMode: "email",
          spellCheck: false,
          value: email,
          onChange: (event) => setEmail(event.target.value),
          "aria-invalid": problems.email !== undefined,
        }}
      />
      <Input
        label="Mot de passe"
        state={problems.password === undefined ? "default" : "error"}
        stateRelatedMessage={problems.password}
        nativeInputProps={{
          id: PASSWORD_ID,
          type: visible ? "text" : "password",
          name: "password",
          autoComplete: "current-password",
          spellCheck: false,
          value: password,
          onChange: (event) => setPassword(event.target.value),
          "aria-invalid": problems.password !== undefined,
        }}
      />
      <PasswordVisibility id="equipe-afficher" visible={visible} onChange={setVisible} label="Afficher le mot de passe" />
      <Button type="submit" nativeButtonProps={{ "aria-disabled": fetching }}>
        {fetching ? "Connexion en cours…" : "Se connecter"}
      </Button>
      <p className="fr-mt-3w">
        <Link to={paths.passwordReset()}>Mot de passe oublié ?</Link>
      </p>
    </form>
  );
}
