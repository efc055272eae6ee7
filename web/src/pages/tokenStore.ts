// Where an emailed link's token is kept once it leaves the address bar: sessionStorage (this tab
// only, gone when it closes), one entry per kind of link.

import type { TokenRouteKey } from "../routes";

const PREFIX = "certif:jeton:";

export function storeToken(kind: TokenRouteKey, token: string): void {
  try {
    window.sessionStorage.setItem(PREFIX + kind, token);
  } catch {
    // Storage refused: the page still works until it is reloaded.
  }
}

export function readToken(kind: TokenRouteKey): string | null {
  try {
    const token = window.sessionStorage.getItem(PREFIX + kind);
    return token === null || token === "" ? null : token;
  } catch {
    return null;
  }
}

/** Forget a token that has served (a single-use link) or that the API refused. */
export function forgetToken(kind: TokenRouteKey): void {
  try {
    window.sessionStorage.removeItem(PREFIX + kind);
  } catch {
    // Nothing kept, nothing to forget.
  }
}
