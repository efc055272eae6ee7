import { useEffect, useRef, useState } from "react";
import { useMutation } from "urql";
import { useNavigate } from "react-router";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { graphql } from "../gql";
import { Page } from "../app/Page";
import { ErrorAlert, Loading } from "../app/status";
import { useViewer } from "../app/viewer";
import { isRetryable, isTokenError } from "../api/errors";
import { paths } from "../routes";
import { useTokenFromPath } from "./useTokenFromPath";

const SignInWithLinkDocument = graphql(`
  mutation SignInWithLink($token: String!) {
    signInWithLink(token: $token) {
      expiresAt
      viewer {
        signedIn
      }
    }
  }
`);

export default function SignInLinkPage() {
  const { token, forget } = useTokenFromPath("signInLink");
  const [{ error }, exchange] = useMutation(SignInWithLinkDocument);
  const { sessionChanged } = useViewer();
  const navigate = useNavigate();
  const sent = useRef<string | null>(null);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    if (token === null) return;
    const key = `${token}#${attempt}`;
    if (sent.current === key) return; // StrictMode runs effects twice: the link works once.
    sent.current = key;
    void exchange({ token }).then((result) => {
      if (result.error === undefined) {
        forget();
        sessionChanged();
        navigate(paths.space(), { replace: true });
      } else if (isTokenError(result.error)) {
        forget();
      }
    });
  }, [token, attempt, exchange, forget, sessionChanged, navigate]);

  if (token === null || (error !== undefined && isTokenError(error))) {
    return (
      <Page title="Lien de connexion non valable">
        {error !== undefined ? (
          <ErrorAlert error={error} title="Ce lien ne permet pas de vous connecter" />
        ) : (
          <p>Ce lien de connexion est incomplet.</p>
        )}
        <p>Un lien de connexion est valable 30 minutes et ne sert qu'une fois. Demandez-en un nouveau : c'est immédiat.</p>
        <Button linkProps={{ to: paths.signIn() }}>Recevoir un nouveau lien</Button>
      </Page>
    );
  }
  if (error !== undefined) {
    return (
      <Page title="Connexion impossible pour le moment">
        <ErrorAlert error={error} title="La connexion n'a pas abouti" />
        {isRetryable(error) ? (
          <Button onClick={() => setAttempt((n) => n + 1)}>Réessayer</Button>
        ) : (
          <Button linkProps={{ to: paths.signIn() }}>Recevoir un nouveau lien</Button>
        )}
      </Page>
    );
  }
  return (
    <Page title="Connexion en cours">
      <Loading label="Connexion en cours, un instant…" />
    </Page>
  );
}
