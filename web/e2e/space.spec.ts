// The candidate's space: where they are (the six steps), the eligibility verdict with its French
// reasons, what to do next, the history; and withdrawing an application behind a confirmation.

import { expect, expectAccessible, test } from "./support/fixtures";
import { h1, main } from "./support/candidate-pages";
import { waitForMail } from "./support/mailbox.mjs";
import { newPerson, registerThroughApi, signInLink } from "./support/scenario.mjs";

test("an ineligible candidate reads the verdict and every French reason", async ({ page, world }) => {
  const person = newPerson("ineligible");
  await registerThroughApi(world, person, { agentStatus: "NONE", joinedProgramme: false });
  await page.goto(await signInLink(world, person.email));
  await expect(page).toHaveURL(/\/espace$/);
  await expect(h1(page)).toHaveText("Mon espace candidat");
  const verdict = main(page).getByRole("heading", { name: "Vous n'êtes pas éligible à cette session" });
  await expect(verdict).toBeVisible();
  // The same reasons as the email that gave the verdict.
  const mail = await waitForMail(world.mailDir, { to: person.email, kind: "registration_received" });
  const reasons = [...mail.text.matchAll(/^- (.+)$/gm)].map((match) => match[1]!.trim());
  expect(reasons.length, mail.text).toBeGreaterThanOrEqual(2);
  for (const reason of reasons) await expect(main(page).getByText(reason)).toBeVisible();
  await expectAccessible(page, "the space of an ineligible candidate");
});

test("an eligible candidate sees where they are, and withdraws behind a confirmation", async ({ page, world }) => {
  const person = newPerson("retrait");
  await registerThroughApi(world, person);
  await page.goto(await signInLink(world, person.email));
  await expect(page).toHaveURL(/\/espace$/);
  await expect(main(page).getByText("Étape 2 sur 6")).toBeVisible();
  await expect(main(page).getByText("Vous êtes éligible à la certification.")).toBeVisible();
  await expect(main(page).getByRole("link", { name: "Compléter mon dossier" })).toBeVisible();
  await expect(main(page).getByRole("heading", { name: "Historique" })).toBeVisible();
  await expectAccessible(page, "the space of an eligible candidate");

  await main(page).getByRole("button", { name: "Retirer ma candidature" }).click();
  const dialog = page.getByRole("dialog", { name: "Retirer votre candidature ?" });
  await expect(dialog).toBeVisible();
  await expectAccessible(page, "the withdrawal dialog");
  await dialog.getByLabel(/Raison/).fill("Je me présenterai à la session suivante.");
  await dialog.getByRole("button", { name: "Retirer ma candidature" }).click();
  await expect(dialog).toBeHidden();
  await expect(main(page).getByText("Vous avez retiré votre candidature.")).toBeVisible();
  await expect(page.getByTestId("annonces")).toHaveText("Votre candidature est retirée.");
  await expect(main(page).getByRole("button", { name: "Retirer ma candidature" })).toHaveCount(0);
  await expectAccessible(page, "the space after a withdrawal");
});
