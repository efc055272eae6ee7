import { describe, expect, it } from "vitest";
import { matchPath } from "react-router";
import { isServerPath, paths, routes, serverPrefixes, siteMap, tokenRoutes } from "./routes";

const patterns = Object.values(routes);
const matches = (pathname: string) => patterns.filter((pattern) => matchPath(pattern, pathname) !== null);

describe("routes", () => {
  it("every link the emails carry lands on exactly one route with its token", () => {
    // The paths written by the scheduler (scheduler/src/jobs/*) and the API (api/src/registration.rs).
    const emailed: Array<[string, string]> = [
      ["/connexion/abc123", routes.signInLink],
      ["/reservation/abc123", routes.booking],
      ["/mot-de-passe/abc123", routes.password],
      ["/invitation/abc123", routes.invitation],
      ["/liste-d-attente/desinscription/abc123", routes.waitingListLeave],
      ["/connexion", routes.signIn],
    ];
    for (const [pathname, pattern] of emailed) {
      expect(matches(pathname)).toEqual([pattern]);
      if (pattern.includes(":token")) expect(matchPath(pattern, pathname)?.params.token).toBe("abc123");
    }
  });

  it("each token route has a bare route, which is a route", () => {
    for (const { withToken, bare } of Object.values(tokenRoutes)) {
      expect(withToken.startsWith(`${bare}/`)).toBe(true);
      expect(patterns).toContain(bare);
    }
  });

  it("builders make paths their route matches, with the value encoded", () => {
    expect(matchPath(routes.dossier, paths.dossier("42"))?.params.applicationId).toBe("42");
    expect(matchPath(routes.result, paths.result("a/b"))?.params.applicationId).toBe("a/b");
    expect(paths.booking("x y")).toBe("/reservation/x%20y");
    expect(paths.waitingListLeave("t")).toBe("/liste-d-attente/desinscription/t");
  });

  it("no client route is under a server prefix, and server paths are recognised", () => {
    for (const pattern of patterns) expect(isServerPath(pattern)).toBe(false);
    for (const prefix of serverPrefixes) {
      expect(isServerPath(prefix)).toBe(true);
      expect(isServerPath(`${prefix}/x`)).toBe(true);
    }
    expect(isServerPath("/calendar/abc.ics")).toBe(true);
    expect(isServerPath("/graphqlx")).toBe(false);
    expect(isServerPath("/verifier")).toBe(false);
  });

  it("the site map lists routes only", () => {
    for (const { path } of siteMap) expect(patterns).toContain(path);
  });
});
