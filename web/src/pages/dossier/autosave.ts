// The autosave of one text field (a dossier link), as a pure state machine: the page feeds it
// the person's edits, the debounce timer, the blur and the server's answers, and shows its
// status. At most one save is in flight per field; an edit made while a save runs is saved
// after it. The server decides whether a value is valid: its refusal is kept as the field's
// error until the next edit.

/** How long after the last keystroke a field is saved. */
export const AUTOSAVE_DELAY_MS = 800;

export type SaveStatus =
  /** Nothing to save: the field holds what the server holds (and nothing was saved yet). */
  | "idle"
  /** Edited; waiting for the pause (or the blur) before saving. */
  | "pending"
  | "saving"
  | "saved"
  | "failed";

export interface SaveFailure {
  /** The French sentence to show. */
  message: string;
  /** The refusal is about the value (shown on the field), not a failure to reach the server. */
  invalid: boolean;
}

export interface FieldSave {
  /** What the field shows. */
  value: string;
  /** The value the server holds (as typed when it was sent). */
  saved: string;
  /** The value being sent, when a save is in flight. */
  inFlight: string | null;
  status: SaveStatus;
  failure: SaveFailure | null;
}

export type SaveEvent =
  | { type: "edited"; value: string }
  /** The server's value changed (a reload): taken only when the field holds no edit of its own. */
  | { type: "loaded"; value: string }
  | { type: "started"; value: string }
  | { type: "succeeded"; value: string }
  | { type: "failed"; value: string; failure: SaveFailure };

export function initialSave(value: string): FieldSave {
  return { value, saved: value, inFlight: null, status: "idle", failure: null };
}

const blank = (value: string) => value.trim() === "";

/**
 * Whether the field should be sent now (after the pause, on blur, or on "réessayer"): it
 * differs from what the server holds, it is not blank (a link cannot be erased, only
 * replaced), no save is in flight, and the server did not just refuse this very value.
 */
export function needsSave(state: FieldSave): boolean {
  const refused = state.status === "failed" && state.failure?.invalid === true;
  return state.inFlight === null && !blank(state.value) && state.value !== state.saved && !refused;
}

/** Whether a failed value may be sent again as it is (the server was unreachable). */
export function canRetry(state: FieldSave): boolean {
  return state.status === "failed" && state.failure !== null && !state.failure.invalid;
}

export function autosave(state: FieldSave, event: SaveEvent): FieldSave {
  switch (event.type) {
    case "edited": {
      if (event.value === state.value) return state;
      const unchanged = event.value === state.saved || blank(event.value);
      return {
        ...state,
        value: event.value,
        failure: null,
        status: state.inFlight !== null ? "saving" : unchanged ? "idle" : "pending",
      };
    }
    case "loaded": {
      const untouched = state.value === state.saved && state.inFlight === null;
      if (!untouched) return { ...state, saved: event.value };
      return { ...state, value: event.value, saved: event.value };
    }
    case "started":
      return { ...state, inFlight: event.value, status: "saving", failure: null };
    case "succeeded": {
      const next = { ...state, saved: event.value, inFlight: null };
      if (state.value === event.value) return { ...next, status: "saved" };
      // Edited while it was saving: the newer value waits for its own save.
      return { ...next, status: blank(state.value) ? "idle" : "pending" };
    }
    case "failed": {
      const next = { ...state, inFlight: null };
      // An answer about a value the field no longer holds is moot: the newer value goes next.
      if (state.value !== event.value) return { ...next, status: blank(state.value) ? "idle" : "pending" };
      return { ...next, status: "failed", failure: event.failure };
    }
  }
}

/** The visible status line of a field (empty when there is nothing to say). */
export function statusText(state: FieldSave): string {
  switch (state.status) {
    case "idle":
      return blank(state.value) && !blank(state.saved)
        ? "Le lien enregistré est conservé : un lien ne peut pas être effacé, seulement remplacé."
        : "";
    case "pending":
      return "Modifications non enregistrées";
    case "saving":
      return "Enregistrement…";
    case "saved":
      return "Enregistré";
    case "failed":
      return state.failure?.invalid === true ? "Non enregistré : corrigez l'adresse." : "Échec de l'enregistrement";
  }
}
