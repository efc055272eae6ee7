// The candidate's whole journey on a certif server of its own (this spec moves the server's clock
// past the oral): registration by the form, the emailed confirmation link, the dossier with real
// files, the équipe's completion (API), booking and moving from the emailed link with the
// invitations it sends, the 48-hour rule, the jury's evaluation and the publication (API, after
// the clock moved), the letter to the administration, then the result and the certificate; the
// expired links on the way. axe-core checks every state.

import fs from "node:fs";

import { expect, test } from "./support/fixtures";
import {
  bookFromLink,
  checkState,
  fillAndSubmitDossier,
  h1,
  main,
  moveOral,
  registerInBrowser,
} from "./support/candidate-pages";
import { JOURNEY_SERVER } from "./support/journey-server";
import { linkTo, waitForMail, waitForMails } from "./support/mailbox.mjs";
import {
  SLOT_TIMES,
  allocateOralDay,
  completeDossier,
  createCoach,
  evaluateAndPublish,
  freshAdmin,
  juryOrals,
  newPerson,
  parisInstant,
  publishSlots,
} from "./support/scenario.mjs";
import { GraphQLClient } from "./support/graphql.mjs";
import { clockOffset, login, serverNow, setClockOffset, type World } from "./support/world.mjs";

// Also set by the "journey" project of playwright.config.ts: this spec must never share a server.
test.use({ ownServer: JOURNEY_SERVER });

test("a new candidate goes from registration to their certificate", async ({ page, world }, testInfo) => {
  test.setTimeout(180_000);
  const options = { axe: true };
  const person = newPerson("parcours");
  const coach = await createCoach(world, { withPassword: true });
  const day = allocateOralDay(world);
  const [first, second] = SLOT_TIMES as [[number, number], [number, number]];
  await publishSlots(world, coach.id, [parisInstant(day, ...first), parisInstant(day, ...second)]);

  // 1. Registration, then the link of the confirmation email.
  await registerInBrowser(page, person, options);
  const confirmation = await waitForMail(world.mailDir, { to: person.email, kind: "candidate_sign_in" });
  await page.goto(linkTo(confirmation, "/connexion/"));
  await expect(page).toHaveURL(/\/espace$/);
  await checkState(page, "the candidate's space, eligible", options);
  const registered = await waitForMail(world.mailDir, { to: person.email, kind: "registration_received" });
  expect(registered.text).toContain("vous êtes éligible");

  // 2. The dossier, with real files.
  const applicationId = await fillAndSubmitDossier(page, person, testInfo.outputPath("dossier"), options);

  // 3. The équipe animation finds it complete: the booking link arrives.
  const bookingLink = await completeDossier(world, applicationId, person.email);

  // 4. Booking, then moving, from the link.
  await bookFromLink(page, bookingLink, day, first, options);
  await moveOral(page, day, second, options);

  const [confirmed] = await waitForMails(world.mailDir, { to: person.email, kind: "oral_confirmed" });
  const [moved] = await waitForMails(world.mailDir, { to: person.email, kind: "oral_moved" });
  const request0 = confirmed!.calendars[0]!;
  const request1 = moved!.calendars[0]!;
  expect([request0.method, request0.sequence]).toEqual(["REQUEST", 0]);
  expect([request1.method, request1.sequence]).toEqual(["REQUEST", 1]);
  expect(request1.uid).toBe(request0.uid);
  expect(request1.start?.getTime()).toBe(parisInstant(day, ...second).getTime());

  // The coach is invited to the same event.
  const [coachMoved] = await waitForMails(world.mailDir, { to: coach.email, kind: "oral_moved" });
  expect(coachMoved!.calendars[0]!.uid).toBe(request0.uid);

  // A sign-in link asked now and left unused: it will have expired when opened after the oral.
  await new GraphQLClient(world.base).request(`mutation Link($email: String!) { requestSignInLink(email: $email) }`, {
    email: person.email,
  });
  const unused = linkTo((await waitForMails(world.mailDir, { to: person.email, kind: "candidate_sign_in", count: 2 }))[1]!, "/connexion/");

  // 5. A day before the oral, the link no longer moves it (the API's 48 hours) and says whom to ask.
  const oralStart = parisInstant(day, ...second);
  moveClockTo(world, new Date(oralStart.getTime() - 24 * 3600_000));
  await page.goto(bookingLink);
  await expect(main(page).getByText(/Moins de 48 heures avant l'oral/)).toBeVisible();
  await expect(main(page).getByRole("button", { name: "Déplacer mon oral" })).toHaveCount(0);
  await checkState(page, "the booking page a day before the oral", options);

  // 6. The oral takes place: the clock moves past it; the jury evaluates, the équipe publishes.
  moveClockTo(world, new Date(oralStart.getTime() + 2 * 3600_000));
  const coachClient = await login(world.base, coach.email, coach.password);
  const [oral] = await juryOrals(coachClient, world.sessionId);
  const { published } = await evaluateAndPublish(coachClient, await freshAdmin(world), oral.bookingId);
  expect(published.decision).toBe("LAUREATE");
  const result = await waitForMail(world.mailDir, { to: person.email, kind: "result_published" });
  expect(result.attachments.some((file) => file.contentType === "application/pdf")).toBe(true);

  // The booking link now only shows the oral: nothing left to move or cancel.
  await page.goto(bookingLink);
  await expect(main(page).getByText("Votre oral ne peut plus être déplacé ni annulé avec ce lien.")).toBeVisible();
  await expect(main(page).getByRole("button", { name: "Annuler mon oral" })).toHaveCount(0);

  // The session's letters day comes: the letter leaves for the HR contact given at registration.
  moveClockTo(world, new Date(new Date(world.calendar.lettersAt!).getTime() + 60_000));
  const letter = await waitForMail(world.mailDir, { to: `rh-${person.email}`, kind: "administration_letter" });
  expect(letter.attachments.some((file) => file.contentType === "application/pdf")).toBe(true);

  // 7. The candidate's sign-in has ended meanwhile (the clock moved days ahead), and the link
  //    left unused has expired: the page says so and offers a new one.
  await page.goto(unused);
  await expect(h1(page)).toHaveText("Lien de connexion non valable");
  // Expired, or already pruned by the scheduler's heartbeat (expired tokens are deleted), in
  // which case the link reads as unknown: both explain and offer a new link.
  await expect(main(page).getByText(/Ce lien a expiré|Ce lien n'est pas valable/).first()).toBeVisible();
  await checkState(page, "an expired sign-in link", options);
  await main(page).getByRole("link", { name: "Recevoir un nouveau lien" }).click();
  await expect(page).toHaveURL(/\/connexion$/);
  await main(page).getByLabel("Adresse électronique").fill(person.email);
  await main(page).getByRole("button", { name: "Recevoir un lien de connexion" }).click();
  await expect(main(page).getByRole("heading", { name: "Lien envoyé" })).toBeVisible();
  const links = await waitForMails(world.mailDir, { to: person.email, kind: "candidate_sign_in", count: 3 });
  await page.goto(linkTo(links[links.length - 1]!, "/connexion/"));
  await expect(page).toHaveURL(/\/espace$/);
  await expect(main(page).getByText("Votre résultat est publié.")).toBeVisible();
  await checkState(page, "the space of a laureate", options);

  // 8. The result: the decision, the jury's feedback per competence, the certificate.
  await main(page).getByRole("link", { name: "Voir mon résultat" }).click();
  await expect(page).toHaveURL(new RegExp(`/espace/resultat/${applicationId}$`));
  await expect(h1(page)).toHaveText(/^Mon résultat — Session de /);
  await expect(main(page).getByText("Décision du jury : Lauréat·e")).toBeVisible();
  await expect(main(page).getByText("Un oral clair et argumenté : félicitations.")).toBeVisible();
  await expect(main(page).getByText(/Compétence démontrée avec des exemples concrets/)).toHaveCount(8);
  await expect(main(page).getByText(published.certificateNumber, { exact: true })).toBeVisible();
  await expect(main(page).getByText(new RegExp(`rh-${person.email}\\) : envoyé le `))).toBeVisible();
  await checkState(page, "the result page", options);

  const downloading = page.waitForEvent("download");
  await main(page).getByRole("link", { name: "Télécharger le certificat (PDF)" }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe(`certificat-${published.certificateNumber}.pdf`);
  const pdf = fs.readFileSync((await download.path())!);
  expect(pdf.subarray(0, 5).toString("latin1")).toBe("%PDF-");
  expect(pdf.length).toBeGreaterThan(2000);

  // The public verification link says the certificate is valid, to anyone.
  const verify = main(page).getByRole("link", { name: /\/verify\// });
  const verifyUrl = (await verify.getAttribute("href"))!;
  const verdict = await (await fetch(`${verifyUrl}${verifyUrl.includes("?") ? "&" : "?"}format=json`)).json();
  expect(verdict.status).toBe("valid");
  expect(verdict.holder).toBe(person.displayName);

  // The oral window is over: the booking link has expired, and says what to do instead.
  await page.goto(bookingLink);
  await expect(h1(page)).toHaveText("Lien de réservation non valable");
  await checkState(page, "an expired booking link", options);
});

/** Sets the server's clock to `at` (API and scheduler read the offset file at every call). */
function moveClockTo(world: World, at: Date) {
  setClockOffset(world, clockOffset(world) + (at.getTime() - serverNow(world).getTime()) / 1000);
}
