// Reads the mail the real scheduler wrote: one `<created>-<kind>-<id>.eml` file per message in the
// server's mail folder. Messages are parsed by `mailparser` (not certif's own code) and their
// calendar parts by `ical.js`.

import fs from "node:fs";
import path from "node:path";

import ICAL from "ical.js";
import { simpleParser } from "mailparser";

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Parsed files, by path: a file is written whole (rename) and never changes afterwards. */
const parsedCache = new Map();

/**
 * @typedef {object} CalendarPart
 * @property {string} method      iTIP method (REQUEST, CANCEL)
 * @property {string} uid
 * @property {number} sequence
 * @property {string | null} status
 * @property {string | null} summary
 * @property {Date | null} start
 * @property {string} raw
 *
 * @typedef {object} Mail
 * @property {string} file
 * @property {string} kind        from the file name (e.g. `oral_confirmed`)
 * @property {string[]} to        lower-cased addresses
 * @property {string} subject
 * @property {string} text
 * @property {string} html
 * @property {string[]} links     every http(s) address of the text part, in order
 * @property {CalendarPart[]} calendars
 * @property {Array<{ filename: string, contentType: string, content: Buffer }>} attachments
 */

/** Parses an iCalendar text with ical.js. @returns {CalendarPart} */
export function parseCalendar(raw) {
  const calendar = new ICAL.Component(ICAL.parse(raw));
  const event = calendar.getFirstSubcomponent("vevent");
  if (!event) throw new Error(`no VEVENT in the calendar part:\n${raw}`);
  const start = event.getFirstPropertyValue("dtstart");
  return {
    method: String(calendar.getFirstPropertyValue("method") ?? ""),
    uid: String(event.getFirstPropertyValue("uid") ?? ""),
    sequence: Number(event.getFirstPropertyValue("sequence") ?? 0),
    status: event.getFirstPropertyValue("status")?.toString() ?? null,
    summary: event.getFirstPropertyValue("summary")?.toString() ?? null,
    start: start && typeof start === "object" && "toJSDate" in start ? start.toJSDate() : null,
    raw,
  };
}

/** @returns {Promise<Mail>} */
async function parseFile(file) {
  const cached = parsedCache.get(file);
  if (cached) return cached;
  const parsed = await simpleParser(fs.readFileSync(file));
  const toField = parsed.to ? (Array.isArray(parsed.to) ? parsed.to : [parsed.to]) : [];
  const text = parsed.text ?? "";
  const attachments = parsed.attachments ?? [];
  const calendars = attachments
    .filter((part) => part.contentType?.startsWith("text/calendar"))
    .map((part) => parseCalendar(part.content.toString("utf8")));
  const kind = /^\d{8}T\d{6}(?:\.\d+)?Z-(.+)-[0-9a-f-]{36}\.eml$/.exec(path.basename(file))?.[1] ?? "";
  /** @type {Mail} */
  const mail = {
    file,
    kind,
    to: toField.flatMap((field) => field.value.map((address) => (address.address ?? "").toLowerCase())),
    subject: parsed.subject ?? "",
    text,
    html: typeof parsed.html === "string" ? parsed.html : "",
    links: [...text.matchAll(/https?:\/\/[^\s<>"')]+/g)].map((match) => match[0]),
    calendars,
    attachments: attachments.map((part) => ({
      filename: part.filename ?? "",
      contentType: part.contentType ?? "",
      content: part.content,
    })),
  };
  parsedCache.set(file, mail);
  return mail;
}

/** Every message of the folder so far, oldest first (file names start with their UTC time). */
export async function readMailbox(mailDir) {
  if (!fs.existsSync(mailDir)) return [];
  const names = fs
    .readdirSync(mailDir)
    .filter((name) => name.endsWith(".eml") && !name.startsWith("."))
    .sort();
  return Promise.all(names.map((name) => parseFile(path.join(mailDir, name))));
}

/**
 * Waits (polling, bounded) until `count` messages to `to` match; returns them oldest first.
 * @param {string} mailDir
 * @param {{ to: string, kind?: string, subject?: RegExp, count?: number, timeoutMs?: number }} filter
 * @returns {Promise<Mail[]>}
 */
export async function waitForMails(mailDir, { to, kind, subject, count = 1, timeoutMs = 20_000 }) {
  const address = to.toLowerCase();
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const matching = (await readMailbox(mailDir)).filter(
      (mail) =>
        mail.to.includes(address) &&
        (kind === undefined || mail.kind === kind) &&
        (subject === undefined || subject.test(mail.subject)),
    );
    if (matching.length >= count) return matching;
    if (Date.now() > deadline) {
      const seen = (await readMailbox(mailDir))
        .filter((mail) => mail.to.includes(address))
        .map((mail) => `${mail.kind}: ${mail.subject}`);
      throw new Error(
        `no ${count} message(s) ${kind ?? ""} ${subject ?? ""} to ${address} within ${timeoutMs} ms; ` +
          `this address received: ${seen.length ? seen.join(" | ") : "nothing"}`,
      );
    }
    await sleep(100);
  }
}

/** The one (latest) message to `to` of this kind. */
export async function waitForMail(mailDir, filter) {
  const mails = await waitForMails(mailDir, filter);
  return /** @type {Mail} */ (mails[mails.length - 1]);
}

/** The first link of a message whose path starts with `prefix` (e.g. `/connexion/`). */
export function linkTo(mail, prefix) {
  const link = mail.links.find((candidate) => new URL(candidate).pathname.startsWith(prefix));
  if (!link) throw new Error(`no ${prefix} link in « ${mail.subject} »: ${mail.links.join(", ")}`);
  return link;
}

/** The token at the end of such a link. */
export function tokenOf(link) {
  return decodeURIComponent(new URL(link).pathname.split("/").filter(Boolean).pop() ?? "");
}
