// What a candidate does in the browser, step by step, shared by the journey specs (full width
// and 320 px). Each step waits for the page's own answer before the next one.

import type { Locator, Page } from "@playwright/test";

import { expect, expectAccessible, horizontalOverflow } from "./fixtures";
import { dossierFiles, writeFiles } from "./files.mjs";
import { CANDIDATE_INCUBATOR, twoYearsAgo } from "./scenario.mjs";

export type Person = {
  email: string;
  firstName: string;
  lastName: string;
  displayName: string;
  startupName: string;
};

export type StepOptions = {
  /** Run axe-core on every state reached (the journey does; a speed-minded spec may not). */
  axe?: boolean;
  /** Check that nothing is wider than the viewport (the 320 px run). */
  noOverflow?: boolean;
};

export const h1 = (page: Page) => page.getByRole("heading", { level: 1 });
/** The page's own content (the live regions repeat announcements outside it). */
export const main = (page: Page) => page.getByRole("main");

/** The checks every state of the journey gets. */
export async function checkState(page: Page, what: string, options: StepOptions) {
  if (options.noOverflow) {
    expect(await horizontalOverflow(page), `${what}: nothing wider than the viewport`).toBeLessThanOrEqual(0);
  }
  if (options.axe) await expectAccessible(page, what);
}

/** « 9 h 00 » or « 09:00 »: how the app may write a Paris time. */
export function timePattern(hours: number, minutes: number): RegExp {
  const mm = String(minutes).padStart(2, "0");
  return new RegExp(`(^|\\D)0?${hours}\\s?(h|:)\\s?${mm}`);
}

/** « mardi 8 décembre 2026 »: a Paris date as the API labels days. */
export function frenchDay(ymd: string): RegExp {
  const [y, m, d] = ymd.split("-").map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d, 12));
  const weekday = new Intl.DateTimeFormat("fr-FR", { weekday: "long", timeZone: "UTC" }).format(date);
  const month = new Intl.DateTimeFormat("fr-FR", { month: "long", timeZone: "UTC" }).format(date);
  return new RegExp(`${weekday}\\s+${d}(er)?\\s+${month}`, "i");
}

/** Registration through the form, from the home page's call to action. */
export async function registerInBrowser(page: Page, person: Person, options: StepOptions = {}) {
  await page.goto("/");
  await checkState(page, "the home page", options);
  await main(page).getByRole("link", { name: /S'inscrire/ }).first().click();
  await expect(page).toHaveURL(/\/inscription$/);
  await checkState(page, "the registration form", options);

  // Sent empty: every required field says what is missing, and the errors are announced.
  await page.getByRole("button", { name: /Envoyer mon inscription|M'inscrire|S'inscrire/ }).click();
  await expect(main(page).locator("[aria-invalid=true]").first()).toBeVisible();
  await checkState(page, "the registration form with its errors", options);

  const form = main(page);
  await form.getByLabel(/Prénom et nom|Vos prénom et nom/).fill(person.displayName);
  await form.getByLabel("Adresse électronique").fill(person.email);
  await form.getByLabel(/Type d'employeur/).selectOption({ label: "État" });
  await form.getByLabel(/Nom de (votre )?l'employeur|Votre administration|Administration/).fill("Direction interministérielle du numérique");
  await form.getByLabel(/Statut/).selectOption({ label: /fonctionnaire/i as unknown as string });
  await form.getByLabel(/programme beta\.gouv\.fr/).check();
  await form.getByLabel(/Nom de la startup/).fill(person.startupName);
  await form.getByLabel(/Incubateur/).fill(CANDIDATE_INCUBATOR);
  await form.getByLabel(/Fiche produit/).fill("https://beta.gouv.fr/startups/mes-aides.html");
  await form.getByLabel(/Début/).fill(twoYearsAgo());
  await form.getByLabel(/temps plein/).check();
  await form.getByLabel(/accélération/).check();
  await page.getByRole("button", { name: /Envoyer mon inscription|M'inscrire|S'inscrire/ }).click();
  await expect(main(page).getByText(/messagerie|courriel|lien/).first()).toBeVisible();
  await checkState(page, "the registration sent", options);
}

/** Fills the dossier with real files, watches the autosave and per-file status, and submits it. */
export async function fillAndSubmitDossier(page: Page, person: Person, filesDir: string, options: StepOptions = {}) {
  await main(page).getByRole("link", { name: /dossier/i }).first().click();
  await expect(page).toHaveURL(/\/espace\/dossier\//);
  await checkState(page, "the empty dossier", options);

  await main(page).getByLabel(/site de la startup/i).fill("https://mes-aides.gouv.fr");
  await main(page).getByLabel(/fiche produit/i).fill("https://beta.gouv.fr/startups/mes-aides.html");
  await expect(main(page).getByText(/enregistré/i).first()).toBeVisible();

  const files = dossierFiles(person.displayName);
  const labels: Record<keyof typeof files, RegExp> = {
    USER_INTERVIEWS: /entretiens/i,
    MOCKUPS: /maquettes/i,
    INVESTMENT_TABLE: /tableau d'investissement/i,
    PRESENTATION: /présentation/i,
  };
  for (const [kind, pattern] of Object.entries(labels) as Array<[keyof typeof files, RegExp]>) {
    const paths = writeFiles(filesDir, files[kind]);
    await main(page).getByLabel(pattern).setInputFiles(paths);
    for (const file of files[kind]) await expect(main(page).getByText(file.name)).toBeVisible();
  }
  await checkState(page, "the filled dossier", options);

  await main(page).getByRole("button", { name: /Envoyer mon dossier/ }).click();
  const dialog = page.getByRole("dialog");
  await expect(dialog).toBeVisible();
  await checkState(page, "the dossier's confirmation dialog", options);
  await dialog.getByRole("button", { name: /Envoyer|Confirmer/ }).click();
  await expect(main(page).getByText(/envoyé|transmis/i).first()).toBeVisible();
  await checkState(page, "the submitted dossier", options);
}

/** A slot of the booking page: the time button/radio in the day's group. */
export function slotOf(page: Page, day: string, hours: number, minutes: number): Locator {
  return main(page)
    .getByRole("group", { name: frenchDay(day) })
    .or(main(page).getByRole("region", { name: frenchDay(day) }))
    .getByRole("radio", { name: timePattern(hours, minutes) })
    .or(main(page).getByRole("button", { name: timePattern(hours, minutes) }));
}

/** From the emailed booking link: chooses a slot, reads the recap, confirms. */
export async function bookFromLink(page: Page, link: string, day: string, [hours, minutes]: [number, number], options: StepOptions = {}) {
  await page.goto(link);
  await expect(page).toHaveURL(/\/reservation$/);
  await expect(main(page).getByText(/heure de Paris/).first()).toBeVisible();
  await checkState(page, "the booking page", options);
  await chooseAndConfirm(page, day, [hours, minutes], options, "booking");
}

export async function chooseAndConfirm(page: Page, day: string, [hours, minutes]: [number, number], options: StepOptions, what: string) {
  await main(page).getByRole("button", { name: frenchDay(day) }).first().click().catch(() => undefined);
  await slotOf(page, day, hours, minutes).first().click();
  const recap = page.getByRole("dialog").or(main(page).getByRole("region", { name: /Récapitulatif/ }));
  await expect(recap.first()).toBeVisible();
  await checkState(page, `the ${what} recap`, options);
  await recap.first().getByRole("button", { name: /Confirmer/ }).click();
  await expect(main(page).getByText(/confirmé/i).first()).toBeVisible();
  await checkState(page, `the ${what} confirmed`, options);
}

/** Moves the booked oral to another slot from the same page. */
export async function moveOral(page: Page, day: string, time: [number, number], options: StepOptions = {}) {
  await main(page).getByRole("button", { name: /Changer|Déplacer/ }).first().click();
  await chooseAndConfirm(page, day, time, options, "move");
}
