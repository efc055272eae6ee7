// The steps the tests take "through the API" — what the équipe animation, a coach or a candidate
// does on pages other than the one under test — built from the real mutations and the real emails.

import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

import { dossierFiles } from "./files.mjs";
import { GraphQLClient } from "./graphql.mjs";
import { linkTo, tokenOf, waitForMail } from "./mailbox.mjs";
import { login, strongPassword } from "./world.mjs";

/** @typedef {import("./world.mjs").World} World */

export const EMAIL_DOMAIN = "e2e.example.fr";
/** Candidates' incubator; coaches belong to another one (a coach never examines their own). */
export const CANDIDATE_INCUBATOR = "Incubateur de la DINUM";
export const COACH_INCUBATOR = "Fabrique numérique des coachs";

const FIRST_NAMES = ["Camille", "Dominique", "Alex", "Claude", "Sacha", "Maxime", "Morgane", "Yannick"];
const LAST_NAMES = ["Martin", "Bernard", "Lefèvre", "Garnier", "Rousseau", "Fontaine", "Chevalier"];

export const uniqueSuffix = () => randomBytes(4).toString("hex");

/** A new person: a unique address and a French name. */
export function newPerson(tag) {
  const suffix = uniqueSuffix();
  const pick = (list) => list[Number.parseInt(suffix.slice(0, 4), 16) % list.length];
  const firstName = pick(FIRST_NAMES);
  const lastName = `${pick(LAST_NAMES)} ${suffix.slice(0, 4).toUpperCase()}`;
  return {
    email: `${tag}-${suffix}@${EMAIL_DOMAIN}`,
    firstName,
    lastName,
    displayName: `${firstName} ${lastName}`,
    startupName: `Startup ${suffix.slice(4)}`,
  };
}

/** Two years ago, as a calendar date: long enough for every duration rule. */
export function twoYearsAgo() {
  const date = new Date();
  date.setUTCFullYear(date.getUTCFullYear() - 2);
  return date.toISOString().slice(0, 10);
}

/** The registration of an eligible full-time intrapreneur. */
export function eligibleRegistration(world, person) {
  return {
    sessionId: world.sessionId,
    email: person.email,
    displayName: person.displayName,
    employerType: "STATE",
    employerName: "Direction interministérielle du numérique",
    agentStatus: "FONCTIONNAIRE",
    joinedProgramme: true,
    startupName: person.startupName,
    incubator: CANDIDATE_INCUBATOR,
    productSheetUrl: "https://beta.gouv.fr/startups/mes-aides.html",
    intrapreneurStart: twoYearsAgo(),
    intrapreneurEnd: null,
    fullTime: true,
    accelerationReached: true,
    priorCertification: "NONE",
    hrContact: { name: "Service RH", email: `rh-${person.email}` },
    managerContact: { name: null, email: null },
    letterConsent: true,
  };
}

export const adminClient = (world) => new GraphQLClient(world.base, world.adminToken);

/** Logs the admin in again (after a clock move their session may be over). */
export const freshAdmin = (world) => login(world.base, world.adminEmail, world.adminPassword);

// ---------------------------------------------------------------- candidates

/** Registers anonymously (as the form does); the confirmation link is emailed. */
export async function registerThroughApi(world, person, overrides = {}) {
  const data = await new GraphQLClient(world.base).request(
    `mutation Register($input: RegistrationInput!) { register(input: $input) { emailToConfirm } }`,
    { input: { ...eligibleRegistration(world, person), ...overrides } },
  );
  if (!data.register.emailToConfirm) throw new Error("an anonymous registration must confirm its email");
}

/** The latest sign-in link emailed to `email` (registration confirmation or sign-in request). */
export async function signInLink(world, email, { after } = {}) {
  const mail = await waitForMail(world.mailDir, {
    to: email,
    kind: "candidate_sign_in",
    ...(after ? { count: after + 1 } : {}),
  });
  return linkTo(mail, "/connexion/");
}

/** Exchanges an emailed link for a session token (what `/connexion/<token>` does). */
export async function signInThroughLink(world, link) {
  const data = await new GraphQLClient(world.base).request(
    `mutation SignIn($token: String!) { signInWithLink(token: $token) { token } }`,
    { token: tokenOf(link) },
  );
  return new GraphQLClient(world.base, data.signInWithLink.token);
}

/** The candidate's applications, most recent first. */
export async function myApplications(candidate) {
  const data = await candidate.request(`query Mine { myApplications { id state sessionId } }`);
  return data.myApplications;
}

/** Fills every item of the dossier with real files and submits it. */
export async function submitDossierThroughApi(candidate, applicationId, tag) {
  await candidate.request(
    `mutation Links($id: ID!, $site: String, $sheet: String) {
       setDossierLinks(applicationId: $id, startupSiteUrl: $site, productSheetUrl: $sheet) { missingItems }
     }`,
    { id: applicationId, site: "https://mes-aides.gouv.fr", sheet: "https://beta.gouv.fr/startups/mes-aides.html" },
  );
  for (const [kind, files] of Object.entries(dossierFiles(tag))) {
    await candidate.upload(
      `mutation Add($id: ID!, $kind: DossierFileKind!, $files: [Upload!]!) {
         addDossierFiles(applicationId: $id, kind: $kind, files: $files) { missingItems }
       }`,
      { id: applicationId, kind },
      files,
    );
  }
  const data = await candidate.request(
    `mutation Submit($id: ID!) { submitDossier(applicationId: $id) { application { state } } }`,
    { id: applicationId },
  );
  return data.submitDossier.application.state;
}

/** The équipe animation finds the dossier complete; resolves to the emailed booking link. */
export async function completeDossier(world, applicationId, email, admin = adminClient(world)) {
  await admin.request(
    `mutation Complete($id: ID!) { completeDossier(applicationId: $id) { application { state } } }`,
    { id: applicationId },
  );
  const mail = await waitForMail(world.mailDir, { to: email, kind: "booking_invitation" });
  return linkTo(mail, "/reservation/");
}

/**
 * A candidate all the way to their booking link, through the API: registration, the emailed
 * confirmation link, a full dossier with real files, submission, the équipe's completion.
 */
export async function candidateWithBookingLink(world, tag) {
  const person = newPerson(tag);
  await registerThroughApi(world, person);
  const candidate = await signInThroughLink(world, await signInLink(world, person.email));
  const [application] = await myApplications(candidate);
  if (!application || application.state !== "ELIGIBLE") {
    throw new Error(`the candidate's application is ${application?.state}, not ELIGIBLE`);
  }
  await submitDossierThroughApi(candidate, application.id, person.displayName);
  const bookingLink = await completeDossier(world, application.id, person.email);
  return { person, candidate, applicationId: application.id, bookingLink, bookingToken: tokenOf(bookingLink) };
}

// ---------------------------------------------------------------- coaches and slots

/**
 * A coach invited by the équipe animation, with a profile. With `withPassword`, the coach follows
 * the invitation email's link and chooses a password (needed to sign in and evaluate).
 */
export async function createCoach(world, { withPassword = false, admin = adminClient(world) } = {}) {
  const person = newPerson("coach");
  const { inviteUser } = await admin.request(
    `mutation Invite($email: String!, $name: String!) {
       inviteUser(email: $email, displayName: $name, roles: [COACH]) { id }
     }`,
    { email: person.email, name: person.displayName },
  );
  await admin.request(
    `mutation Profile($input: CoachProfileInput!, $coachId: ID) { setCoachProfile(input: $input, coachId: $coachId) { timeZone } }`,
    {
      coachId: inviteUser.id,
      input: {
        timeZone: "Europe/Paris",
        videoLink: "https://webconf.numerique.gouv.fr/certif-oral",
        incubator: COACH_INCUBATOR,
        maxOralsPerDay: 4,
        bufferMinutes: 15,
      },
    },
  );
  const coach = { id: inviteUser.id, ...person, password: null, client: null };
  if (withPassword) {
    const mail = await waitForMail(world.mailDir, { to: person.email, kind: "user_invitation" });
    const password = strongPassword();
    await new GraphQLClient(world.base).request(
      `mutation SetPassword($token: String!, $password: String!) { setPassword(token: $token, newPassword: $password) { id } }`,
      { token: tokenOf(linkTo(mail, "/invitation/")), password },
    );
    coach.password = password;
    coach.client = await login(world.base, person.email, password);
  }
  return coach;
}

/** Publishes slots of `coachId` (by the équipe animation); returns them. */
export async function publishSlots(world, coachId, startsAt, { minutes = 60, modes = ["VIDEO", "PHONE"], admin = adminClient(world) } = {}) {
  const slots = [];
  for (const start of startsAt) {
    const { publishSlot } = await admin.request(
      `mutation Publish($session: ID!, $start: DateTime!, $minutes: Int!, $modes: [OralMode!]!, $coach: ID) {
         publishSlot(sessionId: $session, startsAt: $start, durationMinutes: $minutes, modes: $modes, coachId: $coach) { id startsAt endsAt }
       }`,
      { session: world.sessionId, start: start.toISOString(), minutes, modes, coach: coachId },
    );
    slots.push(publishSlot);
  }
  return slots;
}

// ---------------------------------------------------------------- time in Paris

const PARIS = "Europe/Paris";

/** Paris's offset from UTC at `date`, in minutes (60 in winter, 120 in summer). */
function parisOffsetMinutes(date) {
  const name = new Intl.DateTimeFormat("en-US", { timeZone: PARIS, timeZoneName: "longOffset" })
    .formatToParts(date)
    .find((part) => part.type === "timeZoneName")?.value;
  const match = /GMT([+-])(\d{2}):(\d{2})/.exec(name ?? "");
  if (!match) return 0;
  return (match[1] === "-" ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3]));
}

/** The Paris calendar date of an instant, `YYYY-MM-DD`. */
export function parisDate(date) {
  return new Intl.DateTimeFormat("en-CA", { timeZone: PARIS, year: "numeric", month: "2-digit", day: "2-digit" }).format(date);
}

/** The instant of a Paris wall-clock time on a Paris date. */
export function parisInstant(ymd, hours, minutes = 0) {
  const [y, m, d] = ymd.split("-").map(Number);
  const wall = Date.UTC(y, m - 1, d, hours, minutes);
  let instant = wall - parisOffsetMinutes(new Date(wall)) * 60_000;
  instant = wall - parisOffsetMinutes(new Date(instant)) * 60_000;
  return new Date(instant);
}

/** `YYYY-MM-DD` plus `days`. */
export function addDays(ymd, days) {
  const [y, m, d] = ymd.split("-").map(Number);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/**
 * A Paris day of the oral window that no other test uses (an atomic counter in the run folder),
 * so each test's slots are alone on their day whatever runs beside it.
 */
export function allocateOralDay(world) {
  const dir = path.join(world.runDir, "oral-days");
  fs.mkdirSync(dir, { recursive: true });
  const firstDay = addDays(parisDate(new Date(world.calendar.oralsStartAt)), 1);
  const lastDay = addDays(parisDate(new Date(world.calendar.oralsEndAt)), -1);
  for (let index = 0; ; index += 1) {
    const day = addDays(firstDay, index);
    if (day > lastDay) throw new Error("no free day left in the oral window");
    try {
      fs.mkdirSync(path.join(dir, day));
      return day;
    } catch (error) {
      if (/** @type {NodeJS.ErrnoException} */ (error).code !== "EEXIST") throw error;
    }
  }
}

/**
 * Paris times (hours, minutes) of a day's slots: 60 minutes each, 15 minutes of buffer between.
 * @type {Array<[number, number]>}
 */
export const SLOT_TIMES = [
  [9, 0],
  [10, 30],
  [14, 0],
  [15, 30],
];

// ---------------------------------------------------------------- jury and results

/** The coach's orals (the coach signs in with the password they chose). */
export async function juryOrals(coachClient, sessionId) {
  const data = await coachClient.request(
    `query Orals($session: ID) { juryOrals(sessionId: $session) { bookingId startsAt bookingState evaluationState candidateName } }`,
    { session: sessionId },
  );
  return data.juryOrals;
}

/**
 * The coach marks every competence acquired, writes feedback, decides « lauréat·e » and submits;
 * the équipe animation publishes. The server's clock must be past the oral's start.
 */
export async function evaluateAndPublish(coachClient, admin, bookingId) {
  const { evaluation } = await coachClient.request(
    `query Evaluation($booking: ID!) { evaluation(bookingId: $booking) { id state marks { competence { id name } } } }`,
    { booking: bookingId },
  );
  await coachClient.request(
    `mutation Draft($booking: ID!, $input: EvaluationDraftInput!) { saveEvaluationDraft(bookingId: $booking, input: $input) { id ruleVerdict } }`,
    {
      booking: bookingId,
      input: {
        marks: evaluation.marks.map((/** @type {{ competence: { id: string, name: string } }} */ mark) => ({
          competenceId: mark.competence.id,
          acquired: true,
          comment: `Compétence démontrée avec des exemples concrets (${mark.competence.name}).`,
        })),
        overallComment: "Un oral clair et argumenté : félicitations.",
        decision: "LAUREATE",
      },
    },
  );
  const { submitEvaluation } = await coachClient.request(
    `mutation Submit($booking: ID!) { submitEvaluation(bookingId: $booking) { id state } }`,
    { booking: bookingId },
  );
  const { publishResult } = await admin.request(
    `mutation Publish($id: ID!) { publishResult(evaluationId: $id) { decision certificateNumber } }`,
    { id: submitEvaluation.id },
  );
  return { evaluation: submitEvaluation, published: publishResult };
}
