// The server the journey runs on, alone (it moves the clock): its session's orals, results and
// letters follow each other within days, and the letters job runs every two seconds instead of
// hourly, so that the letters leave as soon as the clock reaches them.

import type { OwnServer } from "./fixtures";

export const JOURNEY_SERVER: OwnServer = {
  env: { SCHEDULER_LETTERS_CRON: "*/2 * * * * *" },
  calendar: { registration: 3, orals: 3, results: 0, letters: 0 },
};
