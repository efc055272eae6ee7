// What a candidate does in the browser, step by step, shared by the journey specs (full width
// and 320 px). Each step waits for the page's own answer before the next one.

import type { Locator, Page } from "@playwright/test";

import { expect, expectAccessible, horizontalOverflow } from "./fixtures";
import { dossierFiles, pngBytes, writeFiles } from "./files.mjs";
import { CANDIDATE_INCUBATOR, twoYearsAgo } from "./scenario.mjs";

/** Another image than the dossier's own mock-up. */
const pngVariant = () => pngBytes(32, 32, 7);

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

/** « mardi 8 décembre 2026 »: a Paris date as the API labels days. */
export function frenchDay(ymd: string): RegExp {
  const [y, m, d] = ymd.split("-").map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d, 12));
  const weekday = new Intl.DateTimeFormat("fr-FR", { weekday: "long", timeZone: "UTC" }).format(date);
  const month = new Intl.DateTimeFormat("fr-FR", { month: "long", timeZone: "UTC" }).format(date);
  return new RegExp(`${weekday}\\s+${d}(er)?\\s+${month}`, "i");
}

/** Checks a DSFR radio or checkbox the way a person does: by its label (which covers the input). */
export async function tick(input: Locator) {
  const id = await input.getAttribute("id");
  await input.page().locator(`label[for="${id}"]`).click();
  await expect(input).toBeChecked();
}

/** Registration through the form, from the home page's call to action. */
export async function registerInBrowser(page: Page, person: Person, options: StepOptions = {}) {
  await page.goto("/");
  await checkState(page, "the home page", options);
  await main(page).getByRole("link", { name: "S'inscrire" }).click();
  await expect(page).toHaveURL(/\/inscription\?session=/);
  await expect(h1(page)).toHaveText(/^Inscription à la session de /);
  await checkState(page, "the registration form", options);

  // Sent empty: the fields say what is missing, and the focus goes to the first of them.
  const form = main(page).locator("form");
  const send = form.getByRole("button", { name: "M'inscrire" });
  await send.click();
  await expect(form.getByLabel(/^Adresse électronique/)).toBeFocused();
  await expect(form.getByLabel(/^Adresse électronique/)).toHaveAttribute("aria-invalid", "true");
  await checkState(page, "the registration form with its errors", options);

  const choose = async (group: string | RegExp, option: string) =>
    tick(form.getByRole("group", { name: group }).getByRole("radio", { name: option, exact: true }));
  await form.getByLabel(/^Adresse électronique/).fill(person.email);
  await form.getByLabel(/^Prénom et nom/).fill(person.displayName);
  await choose("Type d'employeur", "État");
  await form.getByLabel("Nom de votre employeur").fill("Direction interministérielle du numérique");
  await choose("Votre statut", "Fonctionnaire");
  await choose(/Avez-vous intégré le programme beta\.gouv\.fr/, "Oui");
  await form.getByLabel(/^Nom de la startup/).fill(person.startupName);
  await form.getByLabel(/^Incubateur/).fill(CANDIDATE_INCUBATOR);
  await form.getByLabel("Fiche produit de la startup").fill("https://beta.gouv.fr/startups/mes-aides.html");
  await form.getByLabel("Début de votre rôle d'intrapreneur").fill(twoYearsAgo());
  await choose("Vous avez été intrapreneur…", "à temps plein");
  await choose(/phase d'accélération/, "Oui");
  await choose(/déjà une certification/, "Aucune");
  await form.getByLabel("Contact des ressources humaines : nom (facultatif)").fill("Service des ressources humaines");
  await form.getByLabel("Contact des ressources humaines : adresse électronique (facultatif)").fill(`rh-${person.email}`);
  await tick(form.getByRole("checkbox", { name: /J'accepte que beta\.gouv\.fr informe ces contacts/ }));
  await send.click();
  await expect(h1(page)).toHaveText("Vérifiez votre messagerie");
  await expect(main(page).getByText(person.email)).toBeVisible();
  await checkState(page, "the registration sent", options);
}

/** The file input of a dossier item (« Ajouter des fichiers : les maquettes du site… »). */
export function fileInput(page: Page, item: RegExp): Locator {
  return main(page).getByLabel(new RegExp(`^Ajouter des fichiers : .*${item.source}`, "i"));
}

const ITEMS = {
  USER_INTERVIEWS: /entretiens utilisateurs/,
  MOCKUPS: /maquettes/,
  INVESTMENT_TABLE: /tableau d'investissement/,
  PRESENTATION: /présentation du service/,
} as const;

/**
 * From the space: the dossier page; an early « Envoyer » refused with the missing items; the two
 * links autosaved (an invalid one refused on its field first); real files for the four items, one
 * of them removed again; the replace dialog opened and closed; then the submission behind its
 * confirmation. Resolves to the application's id.
 */
export async function fillAndSubmitDossier(page: Page, person: Person, filesDir: string, options: StepOptions = {}): Promise<string> {
  await main(page).getByRole("link", { name: "Compléter mon dossier" }).click();
  await expect(page).toHaveURL(/\/espace\/dossier\/[^/]+$/);
  await expect(h1(page)).toHaveText("Mon dossier");
  const applicationId = decodeURIComponent(new URL(page.url()).pathname.split("/").pop() ?? "");
  const missing = main(page).getByRole("heading", { name: "Il manque encore" });
  await expect(missing).toBeVisible();
  await checkState(page, "the empty dossier", options);

  // Sent too early: the confirmation, then the API's refusal with what is missing.
  const submitDialog = page.getByRole("dialog", { name: "Envoyer votre dossier ?" });
  await main(page).getByRole("button", { name: "Envoyer mon dossier" }).click();
  await expect(submitDialog).toBeVisible();
  await checkState(page, "the dossier's confirmation dialog, dossier empty", options);
  await submitDialog.getByRole("button", { name: "Envoyer le dossier" }).click();
  await expect(main(page).getByRole("heading", { name: /n'a pas été envoyé : il est incomplet/ })).toBeVisible();
  await checkState(page, "the dossier refused as incomplete", options);

  // The links, saved as typed; a product sheet elsewhere than beta.gouv.fr is refused on its field.
  const site = main(page).getByLabel(/^Site de la startup/);
  const sheet = main(page).getByLabel(/^Fiche produit sur beta\.gouv\.fr/);
  await site.fill("https://mes-aides.gouv.fr");
  await sheet.fill("https://example.org/startup");
  await expect(sheet).toHaveAttribute("aria-invalid", "true");
  await expect(main(page).getByText("Non enregistré : corrigez l'adresse.")).toBeVisible();
  await checkState(page, "the dossier with a refused link", options);
  await sheet.fill("https://beta.gouv.fr/startups/mes-aides.html");
  await expect(main(page).getByText("Enregistré", { exact: true })).toHaveCount(2);

  // Real files, per item; each shows in the item's list once the server has it.
  const files = dossierFiles(person.displayName);
  for (const kind of Object.keys(ITEMS) as Array<keyof typeof ITEMS>) {
    await fileInput(page, ITEMS[kind]).setInputFiles(writeFiles(filesDir, files[kind]));
    for (const file of files[kind]) await expect(main(page).getByRole("link", { name: new RegExp(file.name) })).toBeVisible();
  }
  // One file too many: added, then removed.
  const extra = { name: "maquette-brouillon.png", type: "image/png", bytes: pngVariant() };
  await fileInput(page, ITEMS.MOCKUPS).setInputFiles(writeFiles(filesDir, [extra]));
  await expect(main(page).getByRole("link", { name: /maquette-brouillon\.png/ })).toBeVisible();
  await main(page).getByRole("button", { name: "Supprimer maquette-brouillon.png" }).click();
  await expect(main(page).getByRole("link", { name: /maquette-brouillon\.png/ })).toHaveCount(0);
  await expect(page.getByTestId("annonces")).toHaveText("« maquette-brouillon.png » supprimé.");

  // Replacing an item's files asks first.
  await main(page).getByRole("button", { name: "Remplacer tous les fichiers" }).first().click();
  const replace = page.getByRole("dialog", { name: "Remplacer tous les fichiers de cette pièce ?" });
  await expect(replace).toBeVisible();
  await checkState(page, "the replace dialog", options);
  await replace.getByRole("button", { name: "Annuler" }).click();
  await expect(replace).toBeHidden();

  await expect(missing).toHaveCount(0);
  await expect(main(page).getByText("Votre dossier est complet : vous pouvez l'envoyer")).toBeVisible();
  await checkState(page, "the complete dossier", options);

  await main(page).getByRole("button", { name: "Envoyer mon dossier" }).click();
  await expect(submitDialog).toBeVisible();
  await submitDialog.getByRole("button", { name: "Envoyer le dossier" }).click();
  await expect(main(page).getByRole("heading", { name: "Votre dossier est envoyé" })).toBeVisible();
  await expect(main(page).getByRole("heading", { name: "Où en est votre dossier" })).toBeFocused();
  await expect(fileInput(page, ITEMS.MOCKUPS)).toHaveCount(0);
  await checkState(page, "the submitted dossier", options);
  return applicationId;
}

/** The day's button on the booking page (« samedi 5 décembre 2026 — 2 créneaux »). */
export function dayButton(page: Page, day: string): Locator {
  return main(page).getByRole("list", { name: "Jours ayant des créneaux libres" }).getByRole("button", { name: frenchDay(day) });
}

/** A time's button on the booking page, once its day is chosen (« 9 h 00 – 10 h 00 (heure de Paris) · … »). */
export function slotButton(page: Page, hours: number, minutes: number): Locator {
  const mm = String(minutes).padStart(2, "0");
  return main(page)
    .getByRole("list", { name: /^Horaires libres le / })
    .getByRole("button", { name: new RegExp(`^0?${hours}\\s?h\\s?${mm}\\b`) });
}

/** Chooses the day, then the time; the recap shows. */
export async function chooseSlot(page: Page, day: string, [hours, minutes]: [number, number]) {
  await dayButton(page, day).click();
  await expect(main(page).getByRole("heading", { name: /^Choisissez un horaire le / })).toBeFocused();
  await slotButton(page, hours, minutes).click();
  await expect(main(page).getByRole("heading", { name: /^Vérifiez et confirmez/ })).toBeFocused();
}

/** From the emailed booking link: chooses a slot, reads the recap, confirms. */
export async function bookFromLink(page: Page, link: string, day: string, time: [number, number], options: StepOptions = {}) {
  await page.goto(link);
  await expect(page).toHaveURL(/\/reservation$/);
  await expect(h1(page)).toHaveText("Réserver mon oral");
  await expect(main(page).getByText(/Tous les horaires sont à l'heure de Paris/)).toBeVisible();
  await checkState(page, "the booking page: the days", options);
  await dayButton(page, day).click();
  await checkState(page, "the booking page: the times of a day", options);
  await slotButton(page, ...time).click();
  await expect(main(page).getByText("Vous allez réserver :")).toBeVisible();
  await checkState(page, "the booking page: the recap", options);
  await main(page).getByRole("button", { name: "Confirmer la réservation" }).click();
  await expect(main(page).getByRole("heading", { name: "Votre oral est réservé" })).toBeFocused();
  await expect(main(page).getByText("C'est confirmé")).toBeVisible();
  await checkState(page, "the booking page: booked", options);
}

/** Moves the booked oral to another slot from the same page. */
export async function moveOral(page: Page, day: string, time: [number, number], options: StepOptions = {}) {
  await main(page).getByRole("button", { name: "Déplacer mon oral" }).click();
  await chooseSlot(page, day, time);
  await expect(main(page).getByText("Votre oral va être déplacé au :")).toBeVisible();
  await checkState(page, "the booking page: the recap of a move", options);
  await main(page).getByRole("button", { name: "Confirmer le déplacement" }).click();
  await expect(main(page).getByRole("heading", { name: "Votre oral est déplacé" })).toBeFocused();
  await checkState(page, "the booking page: moved", options);
}
