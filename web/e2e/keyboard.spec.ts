// Booking with the keyboard alone: Tab, Shift+Tab, Enter and Space, never the mouse. After each
// step the focus lands on the new step's heading, so the next Tab goes on from there.

import { expect, tabTo, test } from "./support/fixtures";
import { dayButton, main, slotButton } from "./support/candidate-pages";
import { SLOT_TIMES, allocateOralDay, candidateWithBookingLink, createCoach, parisInstant, publishSlots } from "./support/scenario.mjs";

test("a candidate books their oral with the keyboard only", async ({ page, world }) => {
  const coach = await createCoach(world);
  const day = allocateOralDay(world);
  const time = SLOT_TIMES[1]!;
  await publishSlots(world, coach.id, [parisInstant(day, ...SLOT_TIMES[0]!), parisInstant(day, ...time)]);
  const { bookingLink } = await candidateWithBookingLink(world, "clavier");

  await page.goto(bookingLink);
  await expect(main(page).getByText(/Tous les horaires sont à l'heure de Paris/)).toBeVisible();

  // Step 1: Tab to the day, Enter.
  await tabTo(page, dayButton(page, day));
  await page.keyboard.press("Enter");
  await expect(main(page).getByRole("heading", { name: /^Choisissez un horaire le / })).toBeFocused();

  // Step 2: Tab to the time, Space.
  await tabTo(page, slotButton(page, ...time));
  await page.keyboard.press("Space");
  await expect(main(page).getByRole("heading", { name: /^Vérifiez et confirmez/ })).toBeFocused();

  // Step 3: the mode by arrow keys would change the radio; the default (visio) is kept. Confirm.
  const video = main(page).getByRole("radio", { name: "En visio" });
  await expect(video).toBeChecked();
  await tabTo(page, main(page).getByRole("button", { name: "Confirmer la réservation" }));
  await page.keyboard.press("Enter");
  await expect(main(page).getByRole("heading", { name: "Votre oral est réservé" })).toBeFocused();
  await expect(main(page).getByText("C'est confirmé")).toBeVisible();

  // The confirmation's actions are reachable too, and Shift+Tab goes back to the calendar file.
  const move = main(page).getByRole("button", { name: "Déplacer mon oral" });
  await tabTo(page, move);
  await tabTo(page, main(page).getByRole("link", { name: "Ajouter à mon agenda" }), { backwards: true });
  // A visible focus: the DSFR outline is drawn on the focused element.
  const outline = await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle);
  expect(outline).not.toBe("none");
});
