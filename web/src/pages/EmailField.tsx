// The one email field of the small "send me an email" forms (candidate sign-in link, waiting
// list, password reset): its state, the check before sending (the problem shown on the field,
// focus moved to it) and the DSFR input with its hint and autocomplete.

import { useState } from "react";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { emailProblem } from "./forms";

export interface EmailField {
  id: string;
  email: string;
  setEmail: (email: string) => void;
  problem: string | null;
  /** The trimmed address when it looks valid; otherwise shows why on the field, focuses it and gives null. */
  checked: () => string | null;
}

export function useEmailField(id: string): EmailField {
  const [email, setEmail] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const checked = () => {
    const found = emailProblem(email);
    setProblem(found);
    if (found !== null) {
      document.getElementById(id)?.focus();
      return null;
    }
    return email.trim();
  };
  return { id, email, setEmail, problem, checked };
}

export function EmailInput({ field, label = "Adresse électronique" }: { field: EmailField; label?: string }) {
  return (
    <Input
      label={label}
      hintText="Format attendu : nom@domaine.fr"
      state={field.problem === null ? "default" : "error"}
      stateRelatedMessage={field.problem}
      nativeInputProps={{
        id: field.id,
        type: "email",
        name: "email",
        autoComplete: "email",
        inputMode: "email",
        spellCheck: false,
        value: field.email,
        onChange: (event) => field.setEmail(event.target.value),
        "aria-invalid": field.problem !== null,
      }}
    />
  );
}
