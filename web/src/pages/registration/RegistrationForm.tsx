// The registration form: checks blanks and formats, sends `register`, and places the API's
// refusals — on their field when the message names one, else in an alert above the form.

import { useCallback, useEffect, useMemo, useRef, useState, type FormEvent } from "react";
import { useMutation } from "urql";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Link } from "react-router";
import { graphql } from "../../gql";
import type { RegisterMutation } from "../../gql/graphql";
import { describeError, errorCode, type ErrorLike } from "../../api/errors";
import { ErrorAlert } from "../../app/status";
import { ErrorSummary } from "../../app/ErrorSummary";
import { paths } from "../../routes";
import { AdministrationSection } from "./AdministrationSection";
import { IdentitySection } from "./IdentitySection";
import { LetterSection } from "./LetterSection";
import { StartupSection } from "./StartupSection";
import type { FormBinding } from "./fields";
import {
  checkValues,
  emptyValues,
  fieldLabels,
  fieldOfApiMessage,
  fieldOrder,
  focusId,
  toInput,
  type FieldName,
  type Problems,
  type RegistrationValues,
} from "./registrationForm";

const RegisterDocument = graphql(`
  mutation Register($input: RegistrationInput!) {
    register(input: $input) {
      emailToConfirm
      application {
        id
        state
      }
    }
  }
`);

export type Registered = RegisterMutation["register"] & { email: string };

export interface RegistrationFormProps {
  sessionId: string;
  /** The signed-in candidate's address and name, when one is signed in. */
  candidate: { email: string; displayName: string } | null;
  onRegistered: (registered: Registered) => void;
}

function focusField(field: FieldName) {
  // After React has shown the messages.
  window.setTimeout(() => document.getElementById(focusId(field))?.focus(), 0);
}

/** A refusal not tied to a field, with the way forward it calls for. */
function Refusal({ error, signedIn }: { error: ErrorLike; signedIn: boolean }) {
  const code = errorCode(error);
  if (code === "REGISTRATION_CLOSED") {
    return (
      <>
        <ErrorAlert error={error} title="Les inscriptions sont fermées" />
        <p>
          <Link to={paths.waitingList()}>Être prévenu·e de la prochaine session</Link>
        </p>
      </>
    );
  }
  if (code === "ALREADY_REGISTERED") {
    return (
      <>
        <ErrorAlert error={error} title="Vous êtes déjà inscrit·e" />
        <p>
          <Link to={signedIn ? paths.space() : paths.signIn()}>Accéder à mon espace</Link>
        </p>
      </>
    );
  }
  return <ErrorAlert error={error} />;
}

export function RegistrationForm({ sessionId, candidate, onRegistered }: RegistrationFormProps) {
  const [values, setValues] = useState<RegistrationValues>(() => emptyValues(candidate?.displayName ?? ""));
  const [problems, setProblems] = useState<Problems>({});
  const [refusal, setRefusal] = useState<ErrorLike | null>(null);
  const [{ fetching }, register] = useMutation(RegisterDocument);
  const refusalRef = useRef<HTMLDivElement>(null);
  // A refusal not about a field shows above the form: bring the person to it.
  useEffect(() => {
    if (refusal !== null) refusalRef.current?.focus();
  }, [refusal]);

  const set = useCallback<FormBinding["set"]>((field, value) => {
    setValues((previous) => ({ ...previous, [field]: value }));
  }, []);
  const form: FormBinding = { values, problems, set, disabled: false };

  const summary = useMemo(
    () =>
      fieldOrder.flatMap((field) => {
        const message = problems[field];
        return message === undefined ? [] : [{ focusId: focusId(field), label: fieldLabels[field], message }];
      }),
    [problems],
  );

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    // The button stays focusable while sending (a disabled one would drop the focus).
    if (fetching) return;
    setRefusal(null);
    const found = checkValues(values, candidate !== null);
    setProblems(found);
    const first = fieldOrder.find((field) => found[field] !== undefined);
    if (first !== undefined) {
      focusField(first);
      return;
    }
    const email = candidate?.email ?? values.email.trim();
    const result = await register({ input: toInput(values, sessionId, candidate?.email ?? null) });
    if (result.error === undefined && result.data !== undefined) {
      onRegistered({ ...result.data.register, email });
      return;
    }
    const error: ErrorLike = result.error ?? {};
    if (errorCode(error) === "BAD_USER_INPUT") {
      const { message } = describeError(error);
      const field = fieldOfApiMessage(message);
      if (field !== null) {
        setProblems({ [field]: message });
        focusField(field);
        return;
      }
    }
    setRefusal(error);
  };

  return (
    <form onSubmit={(event) => void submit(event)} noValidate aria-describedby="inscription-obligatoire">
      <p id="inscription-obligatoire" className="fr-hint-text">
        Tous les champs sont obligatoires, sauf ceux marqués « facultatif ».
      </p>
      <ErrorSummary items={summary} />
      {refusal !== null && (
        <div ref={refusalRef} tabIndex={-1}>
          <Refusal error={refusal} signedIn={candidate !== null} />
        </div>
      )}
      <IdentitySection form={form} signedInEmail={candidate?.email ?? null} />
      <AdministrationSection form={form} />
      <StartupSection form={form} />
      <LetterSection form={form} />
      <Alert
        severity="info"
        small
        className="fr-mb-4w"
        description="Votre éligibilité est vérifiée à l'inscription, d'après vos réponses : vous recevrez la réponse et ses raisons."
      />
      <Button type="submit" nativeButtonProps={{ "aria-disabled": fetching }}>
        {fetching ? "Envoi en cours…" : "M'inscrire"}
      </Button>
    </form>
  );
}
