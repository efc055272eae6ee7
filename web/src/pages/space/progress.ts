// Where an application's state places the candidate among the six steps of the certification
// (display only: the state itself is the API's), and the states no action follows.

import type { ApplicationState } from "../../gql/graphql";

/** The step (1 to 6, as `certification.ts` lists them) an application in this state is at; null once withdrawn. */
export const stepOfState: Readonly<Record<ApplicationState, number | null>> = {
  REGISTERED: 1,
  INELIGIBLE: 1,
  ELIGIBLE: 2,
  DOSSIER_IN_PROGRESS: 2,
  SUBMITTED: 2,
  RETURNED: 2,
  COMPLETE: 3,
  BOOKED: 4,
  INTERVIEWED: 5,
  NOT_CERTIFIED: 5,
  POSTPONED: 5,
  LAUREATE: 6,
  WITHDRAWN: null,
};

/** The states the API leaves no way out of (schema/src/domain/application_state.rs `is_final`): no withdrawal offered. */
export const finalStates: ReadonlySet<ApplicationState> = new Set<ApplicationState>([
  "LAUREATE",
  "NOT_CERTIFIED",
  "POSTPONED",
  "WITHDRAWN",
]);

/** The states whose result is published (the result page has something to show). */
export const resultStates: ReadonlySet<ApplicationState> = new Set<ApplicationState>([
  "LAUREATE",
  "NOT_CERTIFIED",
  "POSTPONED",
]);
