// When this browser last talked to the API. The server ends a sign-in after a stretch without
// requests (SESSION_IDLE_MINUTES), so the idle warning counts from the last request, in any tab.

const KEY = "certif:derniere-activite-api";
type Listener = (at: number) => void;
const listeners = new Set<Listener>();
let last = Date.now();

function readStored(): number | null {
  try {
    const value = Number(window.localStorage.getItem(KEY));
    return Number.isFinite(value) && value > 0 ? value : null;
  } catch {
    return null;
  }
}

/** Records a request to the API made now (called by the GraphQL client and the uploads). */
export function noteApiActivity(at: number = Date.now()): void {
  if (at <= last) return;
  last = at;
  try {
    window.localStorage.setItem(KEY, String(at));
  } catch {
    // Storage may be refused (private mode): this tab still counts its own requests.
  }
  listeners.forEach((listener) => listener(at));
}

/** The time (ms since the epoch) of the last request from this browser, in any tab. */
export function lastApiActivity(): number {
  return Math.max(last, readStored() ?? 0);
}

/** Calls `listener` at each request, from this tab or another; returns the unsubscribe function. */
export function onApiActivity(listener: Listener): () => void {
  listeners.add(listener);
  const onStorage = (event: StorageEvent) => {
    if (event.key !== KEY || event.newValue === null) return;
    const at = Number(event.newValue);
    if (Number.isFinite(at) && at > last) {
      last = at;
      listener(at);
    }
  };
  window.addEventListener("storage", onStorage);
  return () => {
    listeners.delete(listener);
    window.removeEventListener("storage", onStorage);
  };
}
