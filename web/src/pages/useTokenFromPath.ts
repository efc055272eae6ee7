// Token pages (`/reservation/:token`, …): the token is read from the path, kept in sessionStorage,
// and removed from the address bar at once (`/reservation/<token>` → `/reservation`), so it does
// not stay in the history, in screenshots or in a shared address; reloading `/reservation` reads
// it back. The sign-in link is single-use: its bare path is the `/connexion` form, which does not
// read it back.

import { useLayoutEffect, useMemo } from "react";
import { useLocation, useParams } from "react-router";
import { tokenRoutes, type TokenRouteKey } from "../routes";
import { forgetToken, readToken, storeToken } from "./tokenStore";

export interface TokenFromPath {
  /** The token, or `null` when neither the path nor this tab has one. */
  token: string | null;
  /** Forget it (once used, or refused by the API). */
  forget: () => void;
}

export function useTokenFromPath(kind: TokenRouteKey): TokenFromPath {
  const { token: fromPath } = useParams();
  const location = useLocation();

  const token = useMemo(() => {
    if (fromPath !== undefined && fromPath !== "") {
      storeToken(kind, fromPath);
      return fromPath;
    }
    return readToken(kind);
  }, [kind, fromPath]);

  useLayoutEffect(() => {
    if (fromPath === undefined) return;
    const bare = tokenRoutes[kind].bare;
    // The router keeps its own state in history.state: keep it, change only the address.
    window.history.replaceState(window.history.state, "", `${bare}${location.search}${location.hash}`);
  }, [kind, fromPath, location.search, location.hash]);

  return useMemo(() => ({ token, forget: () => forgetToken(kind) }), [token, kind]);
}
