// When to warn before the server's idle sign-out, and when the session is over.

/** The server's default idle limit (SESSION_IDLE_MINUTES), used only until `viewer.idleTimeoutMinutes` is known. */
export const IDLE_TIMEOUT_MINUTES = 120;
/** How long before the end the warning opens. */
export const WARNING_MINUTES = 5;
/**
 * The server refreshes a session's "last seen" at most once a minute: its clock may have started
 * up to a minute before our last request, so the end is counted a minute early.
 */
export const SERVER_REFRESH_SLACK_MINUTES = 1;

export type IdlePhase =
  | { phase: "active"; warnAt: number; endsAt: number }
  | { phase: "warning"; endsAt: number; minutesLeft: number }
  | { phase: "expired" };

const MINUTE = 60_000;

export function idlePhase(now: number, lastActivity: number, idleMinutes: number = IDLE_TIMEOUT_MINUTES): IdlePhase {
  const endsAt = lastActivity + (idleMinutes - SERVER_REFRESH_SLACK_MINUTES) * MINUTE;
  const warnAt = endsAt - WARNING_MINUTES * MINUTE;
  if (now >= endsAt) return { phase: "expired" };
  if (now >= warnAt) return { phase: "warning", endsAt, minutesLeft: Math.max(1, Math.ceil((endsAt - now) / MINUTE)) };
  return { phase: "active", warnAt, endsAt };
}
