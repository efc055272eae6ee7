// The shared states of a page: loading, and an error shown and announced in French.

import { useEffect } from "react";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { describeError, type ErrorLike } from "../api/errors";
import { useAnnounce } from "./announcer";

export function Loading({ label = "Chargement…" }: { label?: string }) {
  return (
    <p className="fr-text--sm" role="status">
      {label}
    </p>
  );
}

export interface ErrorAlertProps {
  error: ErrorLike;
  /** Title of the alert; the French sentence of the error is its description. */
  title?: string;
  /** Whether to announce it (assertive): yes after a person's action, which is the usual case. */
  announce?: boolean;
  /** Heading level of the title (h2 under the page's h1 by default). */
  as?: "h2" | "h3" | "h4";
}

export function ErrorAlert({ error, title = "Cela n'a pas fonctionné", announce = true, as = "h2" }: ErrorAlertProps) {
  const { message } = describeError(error);
  const say = useAnnounce();
  useEffect(() => {
    if (announce) say(message, { assertive: true });
  }, [announce, message, say]);
  return <Alert severity="error" as={as} title={title} description={message} className="fr-mb-4w" />;
}
