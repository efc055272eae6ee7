// The booking page beyond the first booking: the calendar file it offers, and cancelling from the
// same link — a dialog whose reason is required — which frees the slot and sends the CANCEL
// invitation (same UID, raised SEQUENCE). axe-core checks the dialog open, with its error.

import fs from "node:fs";

import { expect, expectAccessible, test } from "./support/fixtures";
import { bookFromLink, dayButton, h1, main } from "./support/candidate-pages";
import { parseCalendar, waitForMail } from "./support/mailbox.mjs";
import { SLOT_TIMES, allocateOralDay, candidateWithBookingLink, createCoach, parisInstant, publishSlots } from "./support/scenario.mjs";

test("the booked oral offers its calendar file, and is cancelled with a reason", async ({ page, world }) => {
  const coach = await createCoach(world);
  const day = allocateOralDay(world);
  const time = SLOT_TIMES[3]!;
  await publishSlots(world, coach.id, [parisInstant(day, ...time)]);
  const { bookingLink, person } = await candidateWithBookingLink(world, "annulation");

  await bookFromLink(page, bookingLink, day, time);
  await expect(main(page).getByText(coach.displayName)).toBeVisible();
  await expect(main(page).getByText("(heure de Paris)").first()).toBeVisible();

  // « Ajouter à mon agenda »: an iCalendar file of this oral.
  const downloading = page.waitForEvent("download");
  await main(page).getByRole("link", { name: "Ajouter à mon agenda" }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/\.ics$/);
  const file = parseCalendar(fs.readFileSync((await download.path())!, "utf8"));
  expect(file.start?.getTime()).toBe(parisInstant(day, ...time).getTime());
  const invitation = await waitForMail(world.mailDir, { to: person.email, kind: "oral_confirmed" });
  expect(file.uid).toBe(invitation.calendars[0]!.uid);

  // Cancelling asks for the reason, in a dialog.
  await main(page).getByRole("button", { name: "Annuler mon oral" }).click();
  const dialog = page.getByRole("dialog", { name: "Annuler votre oral ?" });
  await expect(dialog).toBeVisible();
  await expectAccessible(page, "the cancel dialog");
  await dialog.getByRole("button", { name: "Confirmer l'annulation" }).click();
  const reason = dialog.getByLabel(/Raison de l'annulation/);
  await expect(reason).toHaveAttribute("aria-invalid", "true");
  await expect(reason).toBeFocused();
  await expectAccessible(page, "the cancel dialog without a reason");
  await reason.fill("Un empêchement professionnel ce jour-là.");
  await dialog.getByRole("button", { name: "Confirmer l'annulation" }).click();
  await expect(dialog).toBeHidden();
  await expect(main(page).getByText("Votre oral est annulé")).toBeVisible();
  await expect(h1(page)).toHaveText("Réserver mon oral");
  // The freed slot is offered again.
  await expect(dayButton(page, day)).toBeVisible();
  await expectAccessible(page, "the booking page after a cancellation");

  const cancelled = await waitForMail(world.mailDir, { to: person.email, kind: "oral_cancelled" });
  const cancel = cancelled.calendars[0]!;
  expect([cancel.method, cancel.sequence, cancel.status]).toEqual(["CANCEL", 1, "CANCELLED"]);
  expect(cancel.uid).toBe(file.uid);
  await waitForMail(world.mailDir, { to: coach.email, kind: "oral_cancelled" });
});
