// Booking with the keyboard alone: Tab, Shift+Tab, Enter and Space, never the mouse. The focus
// must stay visible and land where the next step is (the recap, then the confirmation).

import { expect, tabTo, test } from "./support/fixtures";
import { frenchDay, main, slotOf } from "./support/candidate-pages";
import { SLOT_TIMES, allocateOralDay, candidateWithBookingLink, createCoach, parisInstant, publishSlots } from "./support/scenario.mjs";

test.fixme("a candidate books their oral with the keyboard only", async ({ page, world }) => {
  // fixme: the booking page is a placeholder for now (web/src/pages/BookingPage.tsx).
  const coach = await createCoach(world);
  const day = allocateOralDay(world);
  const time = SLOT_TIMES[1]!;
  await publishSlots(world, coach.id, [parisInstant(day, ...time)]);
  const { bookingLink } = await candidateWithBookingLink(world, "clavier");

  await page.goto(bookingLink);
  await expect(main(page).getByText(/heure de Paris/).first()).toBeVisible();
  const dayButton = main(page).getByRole("button", { name: frenchDay(day) }).first();
  if (await dayButton.count()) {
    await tabTo(page, dayButton);
    await page.keyboard.press("Enter");
  }
  const slot = slotOf(page, day, ...time).first();
  await tabTo(page, slot);
  await page.keyboard.press("Space");
  const confirm = page.getByRole("button", { name: /Confirmer/ }).first();
  await tabTo(page, confirm);
  await page.keyboard.press("Enter");
  await expect(main(page).getByText(/confirmé/i).first()).toBeVisible();
});
