// The booking page's steps, as a pure state machine: the oral already booked (if any), then
// the day, the time, and the recap before confirming — to book a first oral or to move one.
// The API decides what may be booked; this only remembers where the person is.

import type { OralMode } from "../../gql/graphql";

export type Purpose = "book" | "reschedule";

export type StepName =
  /** The oral already booked, with its actions (move, cancel). */
  | "overview"
  /** Step 1: the days with free slots. */
  | "days"
  /** Step 2: the times of the chosen day. */
  | "times"
  /** Step 3: what is about to be booked, to confirm. */
  | "recap"
  /** The oral is booked (or moved): its confirmation. */
  | "done";

export interface Flow {
  step: StepName;
  purpose: Purpose;
  /** The chosen day (`YYYY-MM-DD`, the API's BookableDay.date). */
  date: string | null;
  slotId: string | null;
  mode: OralMode | null;
}

export type FlowEvent =
  /** The booking link's context arrived or changed: with an oral, the overview; else step 1. */
  | { type: "reset"; hasOral: boolean }
  | { type: "start"; purpose: Purpose }
  | { type: "chooseDay"; date: string }
  | { type: "chooseSlot"; slotId: string; modes: readonly OralMode[] }
  | { type: "chooseMode"; mode: OralMode }
  /** « Modifier », « Changer de jour », « Revenir à mon oral ». */
  | { type: "back" }
  | { type: "booked" }
  /** The slot went meanwhile: back to the days, whose list is being refreshed. */
  | { type: "slotGone" };

export function initialFlow(hasOral: boolean): Flow {
  return { step: hasOral ? "overview" : "days", purpose: "book", date: null, slotId: null, mode: null };
}

/** The mode offered first: video when the slot offers it (the API's default), else its only one. */
export function defaultMode(modes: readonly OralMode[]): OralMode | null {
  if (modes.includes("VIDEO")) return "VIDEO";
  return modes[0] ?? null;
}

export function flow(state: Flow, event: FlowEvent): Flow {
  switch (event.type) {
    case "reset":
      return initialFlow(event.hasOral);
    case "start":
      return { step: "days", purpose: event.purpose, date: null, slotId: null, mode: null };
    case "chooseDay":
      return { ...state, step: "times", date: event.date, slotId: null, mode: null };
    case "chooseSlot":
      if (state.step !== "times") return state;
      return { ...state, step: "recap", slotId: event.slotId, mode: defaultMode(event.modes) };
    case "chooseMode":
      return state.step === "recap" ? { ...state, mode: event.mode } : state;
    case "back":
      switch (state.step) {
        case "recap":
          return { ...state, step: "times", slotId: null, mode: null };
        case "times":
          return { ...state, step: "days", date: null };
        case "days":
          return state.purpose === "reschedule" ? initialFlow(true) : state;
        default:
          return state;
      }
    case "booked":
      return { ...state, step: "done" };
    case "slotGone":
      return { ...state, step: "days", date: null, slotId: null, mode: null };
  }
}

/** The number of the step (« Étape 2 sur 3 »), for the choosing steps. */
export function stepNumber(step: StepName): 1 | 2 | 3 | null {
  switch (step) {
    case "days":
      return 1;
    case "times":
      return 2;
    case "recap":
      return 3;
    default:
      return null;
  }
}
