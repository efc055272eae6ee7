// The route table: each path of routes.ts → its page, loaded on demand (one chunk per page).
// Add a page: its path in routes.ts, a default-exported component in pages/, one `page(...)` line
// and one <Route> line here. Declarative routes (not createBrowserRouter): the data router adds
// ~16 kB gzip to the first load, for loaders this app does not use (it reads through urql).

import { Component, lazy, Suspense, type ComponentType, type ReactNode } from "react";
import { BrowserRouter, Route, Routes, useLocation } from "react-router";
import { Layout } from "./app/Layout";
import { ErrorPage } from "./app/ErrorPage";
import { Loading } from "./app/status";
import { routes } from "./routes";

/** A page loaded on demand, with the loading state while its file arrives. */
function page(load: () => Promise<{ default: ComponentType }>): ReactNode {
  const Lazy = lazy(load);
  return (
    <Suspense fallback={<Loading />}>
      <Lazy />
    </Suspense>
  );
}

/** Shows the error page when a page fails to load or throws; reset by the next navigation. */
class PageErrorBoundary extends Component<{ children: ReactNode; location: string }, { failed: boolean }> {
  state = { failed: false };
  static getDerivedStateFromError() {
    return { failed: true };
  }
  componentDidUpdate(previous: { location: string }) {
    if (previous.location !== this.props.location && this.state.failed) this.setState({ failed: false });
  }
  render() {
    return this.state.failed ? <ErrorPage /> : this.props.children;
  }
}

function Guarded({ children }: { children: ReactNode }) {
  const { pathname } = useLocation();
  return <PageErrorBoundary location={pathname}>{children}</PageErrorBoundary>;
}

const homePage = page(() => import("./pages/HomePage"));
const signInPage = page(() => import("./pages/SignInPage"));
const signInLinkPage = page(() => import("./pages/SignInLinkPage"));
const staffSignInPage = page(() => import("./pages/StaffSignInPage"));
const registerPage = page(() => import("./pages/RegisterPage"));
const spacePage = page(() => import("./pages/SpacePage"));
const dossierPage = page(() => import("./pages/DossierPage"));
const resultPage = page(() => import("./pages/ResultPage"));
const bookingPage = page(() => import("./pages/BookingPage"));
const passwordPage = page(() => import("./pages/PasswordPage"));
const invitationPage = page(() => import("./pages/InvitationPage"));
const waitingListPage = page(() => import("./pages/WaitingListPage"));
const leaveWaitingListPage = page(() => import("./pages/LeaveWaitingListPage"));
const accessibilityPage = page(() => import("./pages/AccessibilityPage"));
const legalPage = page(() => import("./pages/LegalPage"));
const privacyPage = page(() => import("./pages/PrivacyPage"));
const siteMapPage = page(() => import("./pages/SiteMapPage"));
const notFoundPage = page(() => import("./pages/NotFoundPage"));

export function AppRouter() {
  return (
    <BrowserRouter>
      <Routes>
        <Route element={<Layout />}>
          <Route path={routes.home} element={<Guarded>{homePage}</Guarded>} />
          <Route path={routes.signIn} element={<Guarded>{signInPage}</Guarded>} />
          <Route path={routes.signInLink} element={<Guarded>{signInLinkPage}</Guarded>} />
          <Route path={routes.staffSignIn} element={<Guarded>{staffSignInPage}</Guarded>} />
          <Route path={routes.register} element={<Guarded>{registerPage}</Guarded>} />
          <Route path={routes.space} element={<Guarded>{spacePage}</Guarded>} />
          <Route path={routes.dossier} element={<Guarded>{dossierPage}</Guarded>} />
          <Route path={routes.result} element={<Guarded>{resultPage}</Guarded>} />
          <Route path={routes.booking} element={<Guarded>{bookingPage}</Guarded>} />
          <Route path={routes.bookingBare} element={<Guarded>{bookingPage}</Guarded>} />
          <Route path={routes.password} element={<Guarded>{passwordPage}</Guarded>} />
          <Route path={routes.passwordBare} element={<Guarded>{passwordPage}</Guarded>} />
          <Route path={routes.invitation} element={<Guarded>{invitationPage}</Guarded>} />
          <Route path={routes.invitationBare} element={<Guarded>{invitationPage}</Guarded>} />
          <Route path={routes.waitingList} element={<Guarded>{waitingListPage}</Guarded>} />
          <Route path={routes.waitingListLeave} element={<Guarded>{leaveWaitingListPage}</Guarded>} />
          <Route path={routes.waitingListLeaveBare} element={<Guarded>{leaveWaitingListPage}</Guarded>} />
          <Route path={routes.accessibility} element={<Guarded>{accessibilityPage}</Guarded>} />
          <Route path={routes.legal} element={<Guarded>{legalPage}</Guarded>} />
          <Route path={routes.privacy} element={<Guarded>{privacyPage}</Guarded>} />
          <Route path={routes.siteMap} element={<Guarded>{siteMapPage}</Guarded>} />
          <Route path={"*"} element={<Guarded>{notFoundPage}</Guarded>} />
        </Route>
      </Routes>
    </BrowserRouter>
  );
}
