import { Client, cacheExchange, fetchExchange, mapExchange } from "urql";
import { noteApiActivity } from "./activity";

/** The GraphQL endpoint (same origin: the certif server, or Vite's proxy in development). */
export const GRAPHQL_URL = "/graphql";

/**
 * A urql client: POST only (GET /graphql answers GraphiQL), the session cookie sent, every
 * request noted for the idle warning. The app makes a new one (an empty cache) whenever the
 * signed-in person changes (`useViewer().sessionChanged()` / `signOut()`, app/viewer.tsx), so no
 * page shows the previous person's data. Pages use urql's `useQuery`/`useMutation` with documents
 * written with `graphql()` from `src/gql`.
 */
export function createClient(): Client {
  return new Client({
    url: GRAPHQL_URL,
    preferGetMethod: false,
    fetchOptions: { credentials: "same-origin" },
    requestPolicy: "cache-and-network",
    exchanges: [
      cacheExchange,
      mapExchange({
        onOperation(operation) {
          if (operation.kind !== "teardown") noteApiActivity();
        },
      }),
      fetchExchange,
    ],
  });
}
