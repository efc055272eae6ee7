// Every link certif emails lands on a page: the sign-in link, the invitation and password links of
// coaches, the waiting list's unsubscribe link (the booking link has its own specs). A token page
// takes its token out of the address bar; a used or unknown token gets a French explanation and
// the way to a new link. axe-core checks each of those pages, error states included.

import type { Page } from "@playwright/test";

import { expect, expectAccessible, test } from "./support/fixtures";
import { linkTo, waitForMail, waitForMails } from "./support/mailbox.mjs";
import { createCoach, newPerson, registerThroughApi, signInLink } from "./support/scenario.mjs";
import { login, strongPassword } from "./support/world.mjs";

const h1 = (page: Page) => page.getByRole("heading", { level: 1 });
/** The page's own text (the live regions repeat announcements outside `main`). */
const main = (page: Page) => page.getByRole("main");

test("a candidate asks for a sign-in link, follows it and lands in their space", async ({ page, world }) => {
  const person = newPerson("connexion");
  await registerThroughApi(world, person);
  // The registration's confirmation link is the first one; this test asks for another.
  await waitForMail(world.mailDir, { to: person.email, kind: "candidate_sign_in" });

  await page.goto("/connexion");
  await expect(page).toHaveTitle(/Se connecter/);
  await page.getByLabel("Adresse électronique").fill(person.email);
  await page.getByRole("button", { name: "Recevoir un lien de connexion" }).click();
  await expect(main(page).getByText("vous allez recevoir un lien de connexion")).toBeVisible();
  await expectAccessible(page, "the sign-in form, link sent");

  const [, second] = await waitForMails(world.mailDir, { to: person.email, kind: "candidate_sign_in", count: 2 });
  const link = linkTo(second!, "/connexion/");
  await page.goto(link);
  await expect(page).toHaveURL(/\/espace$/);
  expect(page.url(), "the token left the address bar").not.toContain(new URL(link).pathname.split("/").pop());

  // The link works once: followed again, it explains and offers a new one.
  await page.goto(link);
  await expect(h1(page)).toHaveText("Lien de connexion non valable");
  await expect(main(page).getByText("Ce lien a déjà servi")).toBeVisible();
  await expect(page.getByRole("link", { name: "Recevoir un nouveau lien" })).toBeVisible();
  await expectAccessible(page, "a used sign-in link");
});

test("the sign-in form explains a missing or malformed address next to the field", async ({ page }) => {
  await page.goto("/connexion");
  await page.getByRole("button", { name: "Recevoir un lien de connexion" }).click();
  const field = page.getByLabel("Adresse électronique");
  await expect(field).toHaveAttribute("aria-invalid", "true");
  await expect(field).toBeFocused();
  await expectAccessible(page, "the sign-in form with an empty address");
  await field.fill("pas-une-adresse");
  await page.getByRole("button", { name: "Recevoir un lien de connexion" }).click();
  await expect(field).toHaveAttribute("aria-invalid", "true");
  await expectAccessible(page, "the sign-in form with a malformed address");
});

const UNKNOWN = "0".repeat(64);

test("unknown tokens: each link page explains in French and offers the way forward", async ({ page }) => {
  await page.goto(`/connexion/${UNKNOWN}`);
  await expect(h1(page)).toHaveText("Lien de connexion non valable");
  await expect(page).toHaveURL(/\/connexion$/);
  await expect(main(page).getByText("Ce lien n'est pas valable")).toBeVisible();
  await expectAccessible(page, "an unknown sign-in link");

  await page.goto(`/liste-d-attente/desinscription/${UNKNOWN}`);
  await expect(page).toHaveURL(/\/liste-d-attente\/desinscription$/);
  await page.getByRole("button", { name: "Quitter la liste d'attente" }).click();
  await expect(h1(page)).toHaveText("Lien de désinscription non valable");
  await expectAccessible(page, "an unknown unsubscribe link");
});

test("unknown tokens: the booking, password and invitation pages explain and offer a new link", async ({ page }) => {
  await page.goto(`/reservation/${UNKNOWN}`);
  await expect(page).toHaveURL(/\/reservation$/);
  await expect(h1(page)).toHaveText("Lien de réservation non valable");
  await expect(main(page).getByRole("heading", { name: "Ce lien n'est pas valable" })).toBeVisible();
  await expect(main(page).getByRole("link", { name: "Connectez-vous à votre espace" })).toBeVisible();
  await expectAccessible(page, "an unknown booking link");
  // Reloaded without its token (the address bar no longer has it), the page still knows it…
  await page.reload();
  await expect(h1(page)).toHaveText("Lien de réservation non valable");

  for (const [path, title] of [
    ["/mot-de-passe", "Lien de mot de passe non valable"],
    ["/invitation", "Lien d'invitation non valable"],
  ] as const) {
    await page.goto(`${path}/${UNKNOWN}`);
    await expect(page).toHaveURL(new RegExp(`${path}$`));
    const field = main(page).getByLabel("Nouveau mot de passe");
    await field.fill("une phrase de passe assez longue");
    await main(page).getByLabel("Confirmez le mot de passe").fill("une phrase de passe assez longue");
    await main(page).getByRole("button", { name: path === "/invitation" ? "Activer mon compte" : "Enregistrer le mot de passe" }).click();
    await expect(h1(page)).toHaveText(title);
    await expect(main(page).getByText("Ce lien n'est pas valable")).toBeVisible();
    await expectAccessible(page, `an unknown token on ${path}`);
  }
  // A password link asked again from the page itself.
  await expect(main(page).getByRole("link", { name: "Connectez-vous" })).toBeVisible();
});

test("someone joins the waiting list, then leaves it from the emailed link", async ({ page, world }) => {
  const email = newPerson("attente").email;
  await page.goto("/liste-d-attente");
  await main(page).getByRole("button", { name: "Être prévenu·e" }).click();
  await expect(main(page).getByLabel("Adresse électronique")).toHaveAttribute("aria-invalid", "true");
  await expectAccessible(page, "the waiting-list form with an empty address");
  await main(page).getByLabel("Adresse électronique").fill(email);
  await main(page).getByRole("button", { name: "Être prévenu·e" }).click();
  await expect(main(page).getByRole("heading", { name: "Vous êtes sur la liste d'attente" })).toBeVisible();
  await expectAccessible(page, "the waiting-list form, listed");

  const mail = await waitForMail(world.mailDir, { to: email, kind: "waiting_list_joined" });
  await page.goto(linkTo(mail, "/liste-d-attente/desinscription/"));
  await expect(page).toHaveURL(/\/liste-d-attente\/desinscription$/);
  await expect(h1(page)).toHaveText("Quitter la liste d'attente");
  await expectAccessible(page, "the unsubscribe page");
  await page.getByRole("button", { name: "Quitter la liste d'attente" }).click();
  await expect(h1(page)).toHaveText("Vous avez quitté la liste d'attente");
  await expectAccessible(page, "the unsubscribe page, done");
});

/** Chooses a password on an invitation or password page; the page then offers to sign in. */
async function choosePassword(page: Page, submit: string, password: string) {
  const field = main(page).getByLabel("Nouveau mot de passe");
  // Two different entries are caught on the page, next to the field.
  await field.fill(password);
  await main(page).getByLabel("Confirmez le mot de passe").fill(`${password}-autre`);
  await main(page).getByRole("button", { name: submit }).click();
  await expect(main(page).getByLabel("Confirmez le mot de passe")).toHaveAttribute("aria-invalid", "true");
  await expect(main(page).getByLabel("Confirmez le mot de passe")).toBeFocused();
  await expectAccessible(page, `${submit}: the two entries differ`);
  await main(page).getByLabel("Confirmez le mot de passe").fill(password);
  await main(page).getByRole("button", { name: submit }).click();
  await expect(h1(page)).toHaveText("Mot de passe enregistré");
  await expectAccessible(page, `${submit}: done`);
}

test("a coach follows the invitation link, chooses a password and signs in", async ({ page, world }) => {
  const coach = await createCoach(world);
  const mail = await waitForMail(world.mailDir, { to: coach.email, kind: "user_invitation" });
  const link = linkTo(mail, "/invitation/");
  await page.goto(link);
  await expect(page).toHaveURL(/\/invitation$/);
  await expect(h1(page)).toHaveText("Activer mon compte");
  await expectAccessible(page, "the invitation page");
  const password = strongPassword();
  await choosePassword(page, "Activer mon compte", password);
  // The sign-in form is there, with the address filled in.
  await expect(main(page).getByLabel(/^Adresse électronique/)).toHaveValue(coach.email);
  await main(page).getByLabel(/^Mot de passe/).fill(password);
  await main(page).getByRole("button", { name: "Se connecter" }).click();
  await expect(page.getByRole("button", { name: "Se déconnecter" })).toBeVisible();

  // The invitation works once.
  await page.goto(link);
  await main(page).getByLabel("Nouveau mot de passe").fill(password);
  await main(page).getByLabel("Confirmez le mot de passe").fill(password);
  await main(page).getByRole("button", { name: "Activer mon compte" }).click();
  await expect(h1(page)).toHaveText("Lien d'invitation non valable");
  await expectAccessible(page, "a used invitation link");
});

test("a coach resets a forgotten password from the emailed link", async ({ page, world }) => {
  const coach = await createCoach(world, { withPassword: true });
  await page.goto("/mot-de-passe");
  await expect(h1(page)).toHaveText("Mot de passe oublié");
  await main(page).getByLabel("Adresse électronique de votre compte").fill(coach.email);
  await main(page).getByRole("button", { name: "Recevoir un lien" }).click();
  await expect(main(page).getByRole("heading", { name: "Lien envoyé" })).toBeVisible();
  await expectAccessible(page, "the reset request, sent");

  const mail = await waitForMail(world.mailDir, { to: coach.email, kind: "password_reset" });
  await page.goto(linkTo(mail, "/mot-de-passe/"));
  await expect(page).toHaveURL(/\/mot-de-passe$/);
  await expect(h1(page)).toHaveText("Choisir un nouveau mot de passe");
  await expectAccessible(page, "the password page");
  const password = strongPassword();
  await choosePassword(page, "Enregistrer le mot de passe", password);
  // The new password works, the old one no longer does.
  await login(world.base, coach.email, password);
  await expect(login(world.base, coach.email, coach.password!)).rejects.toThrow(/UNAUTHENTICATED/);
});

test("a registered candidate's confirmation link signs them in", async ({ page, world }) => {
  const person = newPerson("confirmation");
  await registerThroughApi(world, person);
  await page.goto(await signInLink(world, person.email));
  await expect(page).toHaveURL(/\/espace$/);
  const registered = await waitForMail(world.mailDir, { to: person.email, kind: "registration_received" });
  expect(registered.text).toContain("vous êtes éligible");
});
