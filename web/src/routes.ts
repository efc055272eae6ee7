// THE list of the app's client routes. The emails carry these same paths (see the scheduler's
// templates and api/src/registration.rs); the server falls back to index.html for every path that
// does not start with one of `serverPrefixes`.

/** Route patterns, in react-router syntax. */
export const routes = {
  home: "/",
  signIn: "/connexion",
  signInLink: "/connexion/:token",
  /** Coaches and the équipe animation sign in with a password (not under /connexion/: :token). */
  staffSignIn: "/connexion-equipe",
  register: "/inscription",
  space: "/espace",
  dossier: "/espace/dossier/:applicationId",
  result: "/espace/resultat/:applicationId",
  booking: "/reservation/:token",
  bookingBare: "/reservation",
  password: "/mot-de-passe/:token",
  passwordBare: "/mot-de-passe",
  invitation: "/invitation/:token",
  invitationBare: "/invitation",
  waitingList: "/liste-d-attente",
  waitingListLeave: "/liste-d-attente/desinscription/:token",
  waitingListLeaveBare: "/liste-d-attente/desinscription",
  accessibility: "/accessibilite",
  legal: "/mentions-legales",
  privacy: "/donnees-personnelles",
  siteMap: "/plan-du-site",
} as const;

export type RouteKey = keyof typeof routes;

/** Path prefixes the certif server answers itself: never client routes. */
export const serverPrefixes = [
  "/graphql",
  "/healthz",
  "/readyz",
  "/fichiers",
  "/export",
  "/calendar",
  "/certificats",
  "/verify",
  "/assets",
] as const;

/** Whether the server answers this path itself (a prefix followed by nothing, `/` or `.`). */
export function isServerPath(pathname: string): boolean {
  return serverPrefixes.some(
    (prefix) =>
      pathname === prefix || pathname.startsWith(`${prefix}/`) || pathname.startsWith(`${prefix}.`),
  );
}

const segment = (value: string) => encodeURIComponent(value);

/** Builders of concrete paths: use these in links and `navigate`, never string concatenation. */
export const paths = {
  home: () => routes.home,
  signIn: () => routes.signIn,
  signInLink: (token: string) => `/connexion/${segment(token)}`,
  staffSignIn: () => routes.staffSignIn,
  /** The registration form, for one session when given (`?session=<id>`). */
  register: (sessionId?: string) =>
    sessionId === undefined ? routes.register : `${routes.register}?session=${encodeURIComponent(sessionId)}`,
  space: () => routes.space,
  dossier: (applicationId: string) => `/espace/dossier/${segment(applicationId)}`,
  result: (applicationId: string) => `/espace/resultat/${segment(applicationId)}`,
  booking: (token: string) => `/reservation/${segment(token)}`,
  password: (token: string) => `/mot-de-passe/${segment(token)}`,
  /** Without a token: the form asking for a password reset link. */
  passwordReset: () => routes.passwordBare,
  invitation: (token: string) => `/invitation/${segment(token)}`,
  waitingList: () => routes.waitingList,
  waitingListLeave: (token: string) => `/liste-d-attente/desinscription/${segment(token)}`,
  accessibility: () => routes.accessibility,
  legal: () => routes.legal,
  privacy: () => routes.privacy,
  siteMap: () => routes.siteMap,
} as const;

/** The token routes: where the token is kept once it leaves the address bar. */
export const tokenRoutes = {
  signInLink: { withToken: routes.signInLink, bare: routes.signIn },
  booking: { withToken: routes.booking, bare: routes.bookingBare },
  password: { withToken: routes.password, bare: routes.passwordBare },
  invitation: { withToken: routes.invitation, bare: routes.invitationBare },
  waitingListLeave: { withToken: routes.waitingListLeave, bare: routes.waitingListLeaveBare },
} as const;

export type TokenRouteKey = keyof typeof tokenRoutes;

/** Pages listed on the site map (`/plan-du-site`), in order, with their titles. */
export const siteMap: ReadonlyArray<{ path: string; title: string }> = [
  { path: routes.home, title: "Accueil" },
  { path: routes.register, title: "S'inscrire à la certification" },
  { path: routes.waitingList, title: "Liste d'attente" },
  { path: routes.signIn, title: "Se connecter (candidat·e)" },
  { path: routes.space, title: "Mon espace candidat" },
  { path: routes.staffSignIn, title: "Connexion des coachs et de l'équipe animation" },
  { path: routes.passwordBare, title: "Mot de passe oublié (coachs et équipe animation)" },
  { path: routes.accessibility, title: "Accessibilité" },
  { path: routes.legal, title: "Mentions légales" },
  { path: routes.privacy, title: "Données personnelles" },
  { path: routes.siteMap, title: "Plan du site" },
];
