// The state every test starts from, prepared once per server through the API: an admin (created
// with `certif admin create`), and one certification session whose calendar is laid out around
// the server's "now" — registration open, orals from day 3 to day 30 — so the suite runs the
// same whatever today's date.

import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

import { GraphQLClient } from "./graphql.mjs";

const HOUR = 3600_000;
const DAY = 24 * HOUR;

/**
 * @typedef {object} World
 * @property {string} base          the server's address
 * @property {string} runDir        its scratch folder
 * @property {string} mailDir       where the scheduler writes `.eml` files
 * @property {string} offsetFile    CERTIF_CLOCK_OFFSET_FILE
 * @property {string} adminEmail
 * @property {string} adminPassword
 * @property {string} adminToken    a Bearer token of the admin (valid 12 hours of server time)
 * @property {string} sessionId
 * @property {string} sessionLabel
 * @property {Record<string, string>} calendar  the session's dates (RFC 3339)
 */

/** Reads the clock offset (seconds) of a world's server. */
export function clockOffset(world) {
  const text = fs.readFileSync(world.offsetFile, "utf8").trim();
  return Number.parseInt(text || "0", 10) || 0;
}

/** The server's "now": the system clock plus the offset. */
export function serverNow(world) {
  return new Date(Date.now() + clockOffset(world) * 1000);
}

/** Moves the server's clock: API and scheduler read the file at every call. */
export function setClockOffset(world, seconds) {
  const partial = `${world.offsetFile}.partial`;
  fs.writeFileSync(partial, `${Math.round(seconds)}\n`);
  fs.renameSync(partial, world.offsetFile);
}

/** A random password the policy accepts (long, varied, nothing personal). */
export function strongPassword() {
  return `Pw-${randomBytes(12).toString("base64url")}-9z`;
}

export async function login(base, email, password) {
  const data = await new GraphQLClient(base).request(
    `mutation Login($email: String!, $password: String!) { login(email: $email, password: $password) { token } }`,
    { email, password },
  );
  return new GraphQLClient(base, data.login.token);
}

const SESSION_FIELDS = "id year month label phase";

/**
 * Creates the admin and the session on a freshly started server; writes `<runDir>/world.json`.
 * @param {Awaited<ReturnType<typeof import("./certif-server.mjs").startCertif>>} server
 * @returns {Promise<World>}
 */
export async function prepareWorld(server) {
  const adminEmail = "equipe.animation@e2e.example.fr";
  const adminPassword = strongPassword();
  server.createAdmin(adminEmail, "Équipe animation (tests)", adminPassword);
  const admin = await login(server.base, adminEmail, adminPassword);

  const now = serverNow({ offsetFile: server.offsetFile });
  // The session months are May and December: take the next one from today.
  const year = now.getUTCFullYear();
  const month = now.getUTCMonth() + 1;
  const [sessionYear, sessionMonth] = [year, month <= 5 ? 5 : 12];
  const { certificationSessions } = await admin.request(`query Sessions { certificationSessions { ${SESSION_FIELDS} } }`);
  let session = certificationSessions.find((s) => s.year === sessionYear && s.month === sessionMonth);
  if (!session) {
    ({ createSession: session } = await admin.request(
      `mutation CreateSession($year: Int!, $month: Int!) { createSession(year: $year, month: $month) { ${SESSION_FIELDS} } }`,
      { year: sessionYear, month: sessionMonth },
    ));
  }
  const at = (ms) => new Date(now.getTime() + ms).toISOString();
  const calendar = {
    registrationOpensAt: at(-HOUR),
    registrationClosesAt: at(3 * DAY),
    dossierDeadlineAt: at(3 * DAY),
    oralsStartAt: at(3 * DAY),
    oralsEndAt: at(30 * DAY),
    resultsAt: at(31 * DAY),
    lettersAt: at(35 * DAY),
  };
  const { updateSessionCalendar } = await admin.request(
    `mutation Calendar($id: ID!, $calendar: SessionCalendarInput!) {
       updateSessionCalendar(id: $id, calendar: $calendar) { ${SESSION_FIELDS} }
     }`,
    { id: session.id, calendar },
  );
  if (updateSessionCalendar.phase !== "REGISTRATION_OPEN") {
    throw new Error(`the test session is ${updateSessionCalendar.phase}, not open for registration`);
  }
  /** @type {World} */
  const world = {
    base: server.base,
    runDir: server.runDir,
    mailDir: server.mailDir,
    offsetFile: server.offsetFile,
    adminEmail,
    adminPassword,
    adminToken: /** @type {string} */ (admin.token),
    sessionId: session.id,
    sessionLabel: updateSessionCalendar.label,
    calendar,
  };
  fs.writeFileSync(path.join(server.runDir, "world.json"), JSON.stringify(world, null, 2));
  return world;
}

/** Reads the world a global setup prepared. @returns {World} */
export function readWorld(file) {
  return JSON.parse(fs.readFileSync(file, "utf8"));
}
