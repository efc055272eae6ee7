// The frame of every page: skip links, the État's header and footer, the main region, the live
// regions and the idle warning. Pages render in <Outlet /> inside <Page>.

import { Header } from "@codegouvfr/react-dsfr/Header";
import { Footer } from "@codegouvfr/react-dsfr/Footer";
import { SkipLinks } from "@codegouvfr/react-dsfr/SkipLinks";
import { headerFooterDisplayItem } from "@codegouvfr/react-dsfr/Display";
import type { HeaderProps } from "@codegouvfr/react-dsfr/Header";
import type { MainNavigationProps } from "@codegouvfr/react-dsfr/MainNavigation";
import { Outlet, useLocation, useNavigate } from "react-router";
import { paths } from "../routes";
import { useAnnounce } from "./announcer";
import { IdleWarning } from "./IdleWarning";
import { SITE_NAME } from "./Page";
import { useViewer } from "./viewer";

export const MAIN_ID = "contenu";
export const HEADER_ID = "fr-header";
export const FOOTER_ID = "fr-footer";

const brandTop = (
  <>
    République
    <br />
    Française
  </>
);
const homeLinkProps = { to: paths.home(), title: `Accueil — ${SITE_NAME}` };

function useQuickAccess(): HeaderProps.QuickAccessItem[] {
  const { viewer, signOut } = useViewer();
  const navigate = useNavigate();
  const announce = useAnnounce();
  if (viewer === null) return [];
  const signOutItem: HeaderProps.QuickAccessItem = {
    iconId: "fr-icon-logout-box-r-line",
    text: "Se déconnecter",
    buttonProps: {
      type: "button",
      onClick: () => {
        void signOut().then((ok) => {
          if (!ok) {
            announce("La déconnexion n'a pas abouti : réessayez.", { assertive: true });
            return;
          }
          navigate(paths.home());
          announce("Vous êtes déconnecté·e.");
        });
      },
    },
  };
  if (viewer.candidate != null) {
    return [
      { iconId: "fr-icon-account-circle-line", text: "Mon espace", linkProps: { to: paths.space() } },
      signOutItem,
    ];
  }
  if (viewer.user != null) {
    // Who is signed in; their own spaces (coach, équipe animation) come with the next parts.
    const role = viewer.user.roles.includes("ADMIN") ? "équipe animation" : "coach";
    return [
      {
        iconId: "fr-icon-account-circle-line",
        text: `${viewer.user.displayName} (${role})`,
        linkProps: { to: paths.home(), title: `Connecté·e : ${viewer.user.displayName}, ${role}` },
      },
      signOutItem,
    ];
  }
  return [{ iconId: "fr-icon-lock-line", text: "Se connecter", linkProps: { to: paths.signIn() } }];
}

function useNavigationItems(): MainNavigationProps.Item[] {
  const { pathname } = useLocation();
  const { viewer } = useViewer();
  const items: MainNavigationProps.Item[] = [
    { text: "Accueil", linkProps: { to: paths.home() }, isActive: pathname === paths.home() },
  ];
  if (viewer?.candidate != null) {
    items.push({ text: "Mon espace", linkProps: { to: paths.space() }, isActive: pathname.startsWith(paths.space()) });
  } else {
    items.push({ text: "S'inscrire", linkProps: { to: paths.register() }, isActive: pathname === paths.register() });
  }
  return items;
}

export function Layout() {
  return (
    <>
      <SkipLinks
        links={[
          { label: "Contenu", anchor: `#${MAIN_ID}` },
          { label: "Menu", anchor: `#${HEADER_ID}-main-navigation` },
          { label: "Pied de page", anchor: `#${FOOTER_ID}` },
        ]}
      />
      <Header
        id={HEADER_ID}
        brandTop={brandTop}
        serviceTitle={SITE_NAME}
        serviceTagline="beta.gouv.fr"
        homeLinkProps={homeLinkProps}
        quickAccessItems={useQuickAccess()}
        navigation={useNavigationItems()}
      />
      <main id={MAIN_ID} tabIndex={-1} className="fr-container fr-py-6w">
        <Outlet />
      </main>
      <Footer
        id={FOOTER_ID}
        brandTop={brandTop}
        homeLinkProps={homeLinkProps}
        accessibility="non compliant"
        accessibilityLinkProps={{ to: paths.accessibility() }}
        termsLinkProps={{ to: paths.legal() }}
        websiteMapLinkProps={{ to: paths.siteMap() }}
        contentDescription="La certification des intrapreneurs de beta.gouv.fr reconnaît les compétences des agents publics qui ont mené une startup d'État au sein de leur administration."
        bottomItems={[{ text: "Données personnelles", linkProps: { to: paths.privacy() } }, headerFooterDisplayItem]}
      />
      <IdleWarning />
    </>
  );
}
