// Who is using the app: one `viewer` query for the whole app. This provider also owns the urql
// client: signing in or out replaces it, so the cache never serves one person's data to the next.

import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from "react";
import { Provider as UrqlProvider, useQuery } from "urql";
import type { Client } from "urql";
import { createClient } from "../api/client";
import { graphql } from "../gql";
import type { ViewerQuery } from "../gql/graphql";

export const ViewerDocument = graphql(`
  query Viewer {
    viewer {
      signedIn
      idleTimeoutMinutes
      user {
        id
        email
        displayName
        roles
      }
      candidate {
        id
        email
        displayName
      }
    }
  }
`);

const LogoutDocument = graphql(`
  mutation Logout {
    logout
  }
`);

export type Viewer = ViewerQuery["viewer"];

export interface ViewerState {
  /** `null` until the first answer (or while it fails). */
  viewer: Viewer | null;
  fetching: boolean;
  /** Asks the server again (this request also keeps the session alive). */
  refresh: () => void;
  /** Call after a sign-in: a fresh client (empty cache) asks who is signed in now. */
  sessionChanged: () => void;
  /** Ends the session on the server, then starts a fresh client. Resolves to whether it worked. */
  signOut: () => Promise<boolean>;
}

const ViewerContext = createContext<ViewerState | null>(null);

export function useViewer(): ViewerState {
  const state = useContext(ViewerContext);
  if (state === null) throw new Error("useViewer outside <SessionProvider>");
  return state;
}

function ViewerProvider({
  client,
  resetClient,
  children,
}: {
  client: Client;
  resetClient: () => void;
  children: ReactNode;
}) {
  const [{ data, fetching }, reexecute] = useQuery({ query: ViewerDocument, requestPolicy: "cache-first" });

  const refresh = useCallback(() => reexecute({ requestPolicy: "network-only" }), [reexecute]);

  const signOut = useCallback(async () => {
    const result = await client.mutation(LogoutDocument, {}).toPromise();
    // UNAUTHENTICATED means the session had already ended: signed out all the same.
    const ok = result.error === undefined || result.error.graphQLErrors[0]?.extensions?.code === "UNAUTHENTICATED";
    if (ok) resetClient();
    return ok;
  }, [client, resetClient]);

  const value = useMemo<ViewerState>(
    () => ({ viewer: data?.viewer ?? null, fetching, refresh, sessionChanged: resetClient, signOut }),
    [data, fetching, refresh, resetClient, signOut],
  );
  return <ViewerContext.Provider value={value}>{children}</ViewerContext.Provider>;
}

/** The urql client and the viewer, for the whole app. */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [client, setClient] = useState(createClient);
  const resetClient = useCallback(() => setClient(createClient()), []);
  return (
    <UrqlProvider value={client}>
      <ViewerProvider client={client} resetClient={resetClient}>
        {children}
      </ViewerProvider>
    </UrqlProvider>
  );
}
