// The journey at 320 px wide (RGAA: usable without horizontal scrolling at 320 CSS pixels): the
// registration form, the confirmation link, the dossier with real files, booking and moving from
// the emailed link. Nothing may be wider than the screen at any step.

import { expect, expectAccessible, horizontalOverflow, test } from "./support/fixtures";
import { bookFromLink, checkState, fillAndSubmitDossier, moveOral, registerInBrowser } from "./support/candidate-pages";
import { linkTo, waitForMail } from "./support/mailbox.mjs";
import {
  SLOT_TIMES,
  allocateOralDay,
  completeDossier,
  createCoach,
  newPerson,
  parisInstant,
  publishSlots,
} from "./support/scenario.mjs";

test.use({ viewport: { width: 320, height: 640 }, isMobile: true, hasTouch: true });

test("the public pages and the menu fit in 320 px", async ({ page }) => {
  for (const path of ["/", "/connexion", "/inscription", "/plan-du-site", "/accessibilite"]) {
    await page.goto(path);
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    expect(await horizontalOverflow(page), `${path} is not wider than 320 px`).toBeLessThanOrEqual(0);
  }
  // The header folds into a menu button.
  await page.getByRole("button", { name: "Menu" }).click();
  const menu = page.getByRole("dialog", { name: "Menu" });
  await expect(menu).toBeVisible();
  expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
  await expectAccessible(page, "the menu at 320 px");
  await menu.getByRole("button", { name: "Fermer" }).click();
  await expect(menu).toBeHidden();
});

test("a candidate registers, fills the dossier and books at 320 px", async ({ page, world }, testInfo) => {
  test.setTimeout(120_000);
  const options = { noOverflow: true };
  const person = newPerson("etroit");
  const coach = await createCoach(world);
  const day = allocateOralDay(world);
  const [first, second] = [SLOT_TIMES[0]!, SLOT_TIMES[3]!] as Array<[number, number]>;
  await publishSlots(world, coach.id, [parisInstant(day, ...first!), parisInstant(day, ...second!)]);

  await registerInBrowser(page, person, options);
  const confirmation = await waitForMail(world.mailDir, { to: person.email, kind: "candidate_sign_in" });
  await page.goto(linkTo(confirmation, "/connexion/"));
  await expect(page).toHaveURL(/\/espace$/);
  await checkState(page, "the space", options);
  const applicationId = await fillAndSubmitDossier(page, person, testInfo.outputPath("dossier"), options);
  const bookingLink = await completeDossier(world, applicationId, person.email);
  await bookFromLink(page, bookingLink, day, first!, options);
  await moveOral(page, day, second!, options);
});
