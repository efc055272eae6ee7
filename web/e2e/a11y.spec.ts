// axe-core (WCAG 2.1 A and AA) on every public route, the dialogs of the frame (display settings,
// the idle sign-out warning and its end), and what RGAA asks of a single-page app: a title and the
// focus on the h1 at each route change, skip links. The token pages, forms and candidate pages
// are checked where their states arise (links, journey, race, keyboard specs).

import type { Page } from "@playwright/test";

import { expect, expectAccessible, test } from "./support/fixtures";
import { newPerson, registerThroughApi, signInLink } from "./support/scenario.mjs";

const h1 = (page: Page) => page.getByRole("heading", { level: 1 });

const PUBLIC_ROUTES: Array<{ path: string; title: RegExp }> = [
  { path: "/", title: /Certification des intras/ },
  { path: "/inscription", title: /inscri/i },
  { path: "/connexion", title: /Se connecter/ },
  { path: "/connexion-equipe", title: /connexion/i },
  { path: "/mot-de-passe", title: /Mot de passe oublié/ },
  { path: "/liste-d-attente", title: /prochaine session|liste d'attente/i },
  { path: "/accessibilite", title: /accessibilité/i },
  { path: "/mentions-legales", title: /Mentions légales/ },
  { path: "/donnees-personnelles", title: /Données personnelles/ },
  { path: "/plan-du-site", title: /Plan du site/ },
  { path: "/une-adresse-qui-n-existe-pas", title: /Page non trouvée/ },
];

for (const route of PUBLIC_ROUTES) {
  test(`${route.path}: a title, one h1, no axe violation`, async ({ page }) => {
    await page.goto(route.path);
    await expect(h1(page)).toHaveCount(1);
    await expect(page).toHaveTitle(route.title);
    await expect(page.getByRole("main")).toBeVisible();
    await expectAccessible(page, route.path);
  });
}

test("the footer says the site is not compliant and links to the accessibility statement", async ({ page }) => {
  await page.goto("/");
  const footer = page.getByRole("contentinfo");
  await expect(footer.getByText(/Accessibilité\s*:\s*non conforme/)).toBeVisible();
  await footer.getByRole("link", { name: /Accessibilité\s*:\s*non conforme/ }).click();
  await expect(page).toHaveURL(/\/accessibilite$/);
  await expect(h1(page)).toBeFocused();
});

test("a route change sets the title and moves the focus to the h1; the skip link reaches the content", async ({ page }) => {
  await page.goto("/");
  await expect(h1(page)).toBeVisible();
  await page.keyboard.press("Tab");
  const skip = page.getByRole("link", { name: "Contenu" });
  await expect(skip).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page.locator("#contenu")).toBeFocused();

  await page.getByRole("contentinfo").getByRole("link", { name: "Plan du site" }).click();
  await expect(page).toHaveTitle(/^Plan du site — Certification des intras$/);
  await expect(h1(page)).toBeFocused();
  await page.getByRole("main").getByRole("link", { name: "Se connecter" }).click();
  await expect(page).toHaveTitle(/^Se connecter — /);
  await expect(h1(page)).toBeFocused();
});

test("the display settings dialog has no axe violation", async ({ page }) => {
  await page.goto("/");
  await page.getByRole("button", { name: "Paramètres d'affichage" }).click();
  const dialog = page.getByRole("dialog", { name: "Paramètres d'affichage" });
  await expect(dialog).toBeVisible();
  await expectAccessible(page, "the display settings dialog");
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();
});

test("a signed-in candidate is warned before the idle sign-out, may stay, and is told when it ends", async ({ page, world }) => {
  const person = newPerson("inactif");
  await registerThroughApi(world, person);
  const link = await signInLink(world, person.email);
  // The browser's clock only: the server's session stays as it is.
  await page.clock.install();
  await page.goto(link);
  await expect(page).toHaveURL(/\/espace$/);
  // Every request counts as activity: let the page's own requests finish before time jumps.
  await expect(page.getByRole("main").getByRole("link", { name: "Compléter mon dossier" })).toBeVisible();
  await page.waitForLoadState("networkidle");

  const warning = page.getByRole("dialog", { name: "Vous allez être déconnecté·e" });
  await expect(warning).toBeHidden();
  // viewer.idleTimeoutMinutes is 120: the warning opens 5 minutes before the end (minus a minute of slack).
  await page.clock.fastForward("01:55:00");
  await expect(warning).toBeVisible();
  await expect(warning).toContainText("heure de Paris");
  await expectAccessible(page, "the idle warning");
  await warning.getByRole("button", { name: "Rester connecté·e" }).click();
  await expect(warning).toBeHidden();
  await expect(page.getByTestId("annonces")).toHaveText("Vous restez connecté·e.");

  await page.clock.fastForward("02:00:00");
  const ended = page.getByRole("dialog", { name: "Vous avez été déconnecté·e" });
  await expect(ended).toBeVisible();
  await expectAccessible(page, "the idle sign-out notice");
  await ended.getByRole("button", { name: "Se reconnecter" }).click();
  await expect(page).toHaveURL(/\/connexion$/);
});
