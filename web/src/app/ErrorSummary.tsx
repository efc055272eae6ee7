// The summary of a form's errors, above the form (RGAA 11.10, 11.11): how many, each as a link
// to its field, announced when it appears or changes. The page moves focus to the first wrong
// field itself; each field also shows its own message (DSFR `stateRelatedMessage`).

import { useEffect } from "react";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { useAnnounce } from "./announcer";

export interface ErrorSummaryItem {
  /** The id of the element to focus (the input, or a fieldset's first input). */
  focusId: string;
  /** The field's name, before its message (« Statut : Choisissez votre statut. »). */
  label: string;
  message: string;
}

export function errorSummaryTitle(count: number): string {
  return count === 1 ? "Le formulaire contient une erreur" : `Le formulaire contient ${count} erreurs`;
}

export function ErrorSummary({ items }: { items: ReadonlyArray<ErrorSummaryItem> }) {
  const announce = useAnnounce();
  const title = errorSummaryTitle(items.length);
  // Focus goes to the first wrong field, which reads its own message: the count is enough here.
  const spoken = `${title} : corrigez les champs signalés.`;
  useEffect(() => {
    if (items.length > 0) announce(spoken, { assertive: true });
  }, [items.length, spoken, announce]);

  if (items.length === 0) return null;
  return (
    <Alert
      severity="error"
      as="h2"
      className="fr-mb-4w"
      title={title}
      description={
        <ul>
          {items.map((item) => (
            <li key={item.focusId}>
              <a
                href={`#${item.focusId}`}
                onClick={(event) => {
                  // Not a navigation: the router would move focus to the page's heading.
                  event.preventDefault();
                  document.getElementById(item.focusId)?.focus();
                }}
              >
                {item.label} : {item.message}
              </a>
            </li>
          ))}
        </ul>
      }
    />
  );
}
