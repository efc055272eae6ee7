// Two candidates, each in their own browser, race for the same slot: the first to confirm gets
// it; the second is told in French that it was just taken, and sees a fresh list without it.

import { expect, test } from "./support/fixtures";
import { frenchDay, main, slotOf, timePattern } from "./support/candidate-pages";
import { SLOT_TIMES, allocateOralDay, candidateWithBookingLink, createCoach, parisInstant, publishSlots } from "./support/scenario.mjs";

test.fixme("two candidates race for one slot: one books it, the other is told and sees a fresh list", async ({ page, newContext, world }) => {
  // fixme: the booking page is a placeholder for now (web/src/pages/BookingPage.tsx).
  const coach = await createCoach(world);
  const day = allocateOralDay(world);
  const [contested, other] = [SLOT_TIMES[0]!, SLOT_TIMES[2]!] as Array<[number, number]>;
  await publishSlots(world, coach.id, [parisInstant(day, ...contested!), parisInstant(day, ...other!)]);
  const [first, second] = await Promise.all([
    candidateWithBookingLink(world, "course-a"),
    candidateWithBookingLink(world, "course-b"),
  ]);
  const secondPage = await (await newContext()).newPage();

  // Both open their link and choose the same time.
  for (const [candidatePage, link] of [
    [page, first.bookingLink],
    [secondPage, second.bookingLink],
  ] as const) {
    await candidatePage.goto(link);
    await main(candidatePage).getByRole("button", { name: frenchDay(day) }).first().click().catch(() => undefined);
    await slotOf(candidatePage, day, ...contested!).first().click();
    await expect(candidatePage.getByRole("button", { name: /Confirmer/ }).first()).toBeVisible();
  }

  // The first confirms: booked.
  await page.getByRole("button", { name: /Confirmer/ }).first().click();
  await expect(main(page).getByText(/confirmé/i).first()).toBeVisible();

  // The second confirms after: refused, in French, with a fresh list.
  await secondPage.getByRole("button", { name: /Confirmer/ }).first().click();
  await expect(main(secondPage).getByText(/vient d'être pris|déjà pris/).first()).toBeVisible();
  await expect(secondPage.getByTestId("annonces-urgentes").or(secondPage.getByTestId("annonces"))).toContainText(
    /vient d'être pris|déjà pris/,
  );
  await expect(slotOf(secondPage, day, ...contested!)).toHaveCount(0);
  await expect(slotOf(secondPage, day, ...other!).first()).toBeVisible();
  expect(timePattern(...other!).test(await slotOf(secondPage, day, ...other!).first().innerText())).toBe(true);
});
