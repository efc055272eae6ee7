// One link of the dossier, saved as it is typed (after a pause of 800 ms, and when the field is
// left) with its status on the field: « Enregistrement… », « Enregistré », the API's refusal, or
// « Échec » with « Réessayer ». Statuses are announced politely: the person is typing.

import { useCallback, useEffect, useReducer, useRef } from "react";
import { useMutation } from "urql";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { useAnnounce } from "../../app/announcer";
import { describeError, errorCode } from "../../api/errors";
import type { DossierFieldsFragment } from "../../gql/graphql";
import { AUTOSAVE_DELAY_MS, autosave, canRetry, initialSave, needsSave, statusText } from "./autosave";
import { SetDossierLinksDocument } from "./queries";

export type LinkName = "startupSiteUrl" | "productSheetUrl";

export interface LinkFieldProps {
  applicationId: string;
  name: LinkName;
  id: string;
  label: string;
  hint: string;
  /** What the server holds. */
  serverValue: string | null;
  onDossier: (dossier: DossierFieldsFragment) => void;
  /** The dossier is locked meanwhile (submitted elsewhere): the page reloads it. */
  onLocked: () => void;
}

export function LinkField({ applicationId, name, id, label, hint, serverValue, onDossier, onLocked }: LinkFieldProps) {
  const [state, dispatch] = useReducer(autosave, serverValue ?? "", initialSave);
  const current = useRef(state);
  current.current = state;
  const [, setLinks] = useMutation(SetDossierLinksDocument);
  const announce = useAnnounce();

  useEffect(() => {
    dispatch({ type: "loaded", value: serverValue ?? "" });
  }, [serverValue]);

  const save = useCallback(async () => {
    const now = current.current;
    if (!needsSave(now) && !canRetry(now)) return;
    const value = now.value;
    dispatch({ type: "started", value });
    const result = await setLinks({ applicationId, [name]: value.trim() });
    if (result.error === undefined && result.data !== undefined) {
      dispatch({ type: "succeeded", value });
      onDossier(result.data.setDossierLinks);
      if (current.current.value === value) announce(`${label} : enregistré.`);
      return;
    }
    const error = result.error ?? { graphQLErrors: [] };
    const { message } = describeError(error);
    const code = errorCode(error);
    dispatch({ type: "failed", value, failure: { message, invalid: code === "BAD_USER_INPUT" } });
    announce(`${label} : non enregistré. ${message}`);
    if (code === "DOSSIER_LOCKED") onLocked();
  }, [applicationId, name, label, setLinks, onDossier, onLocked, announce]);

  // The pause after the last keystroke.
  useEffect(() => {
    if (state.status !== "pending") return;
    const timer = window.setTimeout(() => void save(), AUTOSAVE_DELAY_MS);
    return () => window.clearTimeout(timer);
  }, [state.status, state.value, save]);

  const failure = state.status === "failed" ? state.failure : null;
  const status = statusText(state);
  const fieldState =
    failure !== null ? "error" : state.status === "saved" ? "success" : status !== "" ? "info" : "default";
  const message =
    failure !== null ? (
      failure.invalid ? (
        <>
          {failure.message} {status}
        </>
      ) : (
        <>
          {status} — {failure.message}{" "}
          <button type="button" className="fr-link fr-link--sm" onClick={() => void save()}>
            Réessayer
          </button>
        </>
      )
    ) : (
      status
    );

  return (
    <Input
      label={label}
      hintText={hint}
      state={fieldState}
      stateRelatedMessage={message}
      nativeInputProps={{
        id,
        name,
        type: "url",
        inputMode: "url",
        autoComplete: "url",
        spellCheck: false,
        value: state.value,
        onChange: (event) => dispatch({ type: "edited", value: event.target.value }),
        onBlur: () => void save(),
        "aria-invalid": failure?.invalid === true,
      }}
    />
  );
}
