// Two candidates, each in their own browser, race for the same slot: the first to confirm gets
// it; the second is told in French that it was just taken, and sees a fresh list without it.

import { expect, expectAccessible, test } from "./support/fixtures";
import { chooseSlot, dayButton, main, slotButton } from "./support/candidate-pages";
import { SLOT_TIMES, allocateOralDay, candidateWithBookingLink, createCoach, parisInstant, publishSlots } from "./support/scenario.mjs";

test("two candidates race for one slot: one books it, the other is told and sees a fresh list", async ({ page, newContext, world }) => {
  const coach = await createCoach(world);
  const day = allocateOralDay(world);
  const contested = SLOT_TIMES[0]!;
  const other = SLOT_TIMES[2]!;
  await publishSlots(world, coach.id, [parisInstant(day, ...contested), parisInstant(day, ...other)]);
  const [first, second] = await Promise.all([
    candidateWithBookingLink(world, "course-a"),
    candidateWithBookingLink(world, "course-b"),
  ]);
  const secondPage = await (await newContext()).newPage();

  // Both open their link and come to the recap of the same slot.
  for (const [candidatePage, link] of [
    [page, first.bookingLink],
    [secondPage, second.bookingLink],
  ] as const) {
    await candidatePage.goto(link);
    await expect(dayButton(candidatePage, day)).toHaveAccessibleName(/— 2 créneaux$/);
    await chooseSlot(candidatePage, day, contested);
  }

  // The first confirms: booked.
  await main(page).getByRole("button", { name: "Confirmer la réservation" }).click();
  await expect(main(page).getByRole("heading", { name: "Votre oral est réservé" })).toBeVisible();

  // The second confirms after: refused in French, announced, back to a fresh list of days.
  await main(secondPage).getByRole("button", { name: "Confirmer la réservation" }).click();
  const notice = main(secondPage).getByRole("heading", { name: "Ce créneau n'est plus libre" });
  await expect(notice).toBeVisible();
  await expect(main(secondPage).getByText(/vient d'être pris par une autre personne/)).toBeVisible();
  await expect(secondPage.getByTestId("annonces-urgentes")).toContainText("vient d'être pris");
  await expect(secondPage.getByTestId("annonces")).toContainText("Liste des créneaux mise à jour");
  await expect(dayButton(secondPage, day)).toHaveAccessibleName(/— 1 créneau$/);
  await expectAccessible(secondPage, "the booking page after losing a race");
  await dayButton(secondPage, day).click();
  await expect(slotButton(secondPage, ...contested)).toHaveCount(0);
  await expect(slotButton(secondPage, ...other)).toBeVisible();
});
