// The route table: each path of routes.ts → its page, loaded on demand (one chunk per page).
// Add a page: its path in routes.ts, a default-exported component in pages/, one line here.

import type { ComponentType } from "react";
import { createBrowserRouter, type RouteObject } from "react-router";
import { Layout } from "./app/Layout";
import { ErrorPage } from "./app/ErrorPage";
import { Loading } from "./app/status";
import { routes } from "./routes";

const page = (load: () => Promise<{ default: ComponentType }>): Pick<RouteObject, "lazy"> => ({
  lazy: async () => ({ Component: (await load()).default }),
});

export const routeObjects: RouteObject[] = [
  {
    element: <Layout />,
    errorElement: <ErrorPage />,
    hydrateFallbackElement: <Loading />,
    children: [
      { path: routes.home, ...page(() => import("./pages/HomePage")) },
      { path: routes.signIn, ...page(() => import("./pages/SignInPage")) },
      { path: routes.signInLink, ...page(() => import("./pages/SignInLinkPage")) },
      { path: routes.register, ...page(() => import("./pages/RegisterPage")) },
      { path: routes.space, ...page(() => import("./pages/SpacePage")) },
      { path: routes.dossier, ...page(() => import("./pages/DossierPage")) },
      { path: routes.result, ...page(() => import("./pages/ResultPage")) },
      { path: routes.booking, ...page(() => import("./pages/BookingPage")) },
      { path: routes.bookingBare, ...page(() => import("./pages/BookingPage")) },
      { path: routes.password, ...page(() => import("./pages/PasswordPage")) },
      { path: routes.passwordBare, ...page(() => import("./pages/PasswordPage")) },
      { path: routes.invitation, ...page(() => import("./pages/InvitationPage")) },
      { path: routes.invitationBare, ...page(() => import("./pages/InvitationPage")) },
      { path: routes.waitingList, ...page(() => import("./pages/WaitingListPage")) },
      { path: routes.waitingListLeave, ...page(() => import("./pages/LeaveWaitingListPage")) },
      { path: routes.waitingListLeaveBare, ...page(() => import("./pages/LeaveWaitingListPage")) },
      { path: routes.accessibility, ...page(() => import("./pages/AccessibilityPage")) },
      { path: routes.legal, ...page(() => import("./pages/LegalPage")) },
      { path: routes.privacy, ...page(() => import("./pages/PrivacyPage")) },
      { path: routes.siteMap, ...page(() => import("./pages/SiteMapPage")) },
      { path: "*", ...page(() => import("./pages/NotFoundPage")) },
    ],
  },
];

export const createRouter = () => createBrowserRouter(routeObjects);
