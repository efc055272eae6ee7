// How the booking page words days, slots and orals: full French sentences that read well aloud
// (never a bare day number), always in Paris time, with the person's own time beside it when
// their browser is elsewhere at that instant.

import type { OralMode } from "../../gql/graphql";
import { browserTimeZone, localTimeAside, parisDate, parisTimeRange } from "../../time";

export const CONTACT_EMAIL = "contact@beta.gouv.fr";

/** « visio », « téléphone ». */
export function modeLabel(mode: OralMode): string {
  return mode === "VIDEO" ? "visio" : "téléphone";
}

/** « visio ou téléphone », « visio »: what a slot offers (video first). */
export function modesLabel(modes: readonly OralMode[]): string {
  const ordered = (["VIDEO", "PHONE"] as const).filter((mode) => modes.includes(mode));
  return ordered.map(modeLabel).join(" ou ");
}

/** « 3 créneaux », « 1 créneau ». */
export function slotCount(count: number): string {
  return `${count} créneau${count > 1 ? "x" : ""}`;
}

/** The button of a day: « mardi 18 mai 2027 — 3 créneaux ». */
export function dayButtonLabel(label: string, count: number): string {
  return `${label} — ${slotCount(count)}`;
}

/** « , soit 4 h 00 à votre heure locale » when the browser's zone differs at that instant, else "". */
export function localAside(instant: string, zone: string = browserTimeZone()): string {
  const aside = localTimeAside(instant, zone);
  return aside === null ? "" : `, soit ${aside}`;
}

export interface SlotLike {
  startsAt: string;
  endsAt: string;
  coachName?: string | null;
  modes: readonly OralMode[];
}

/** A time of the chosen day: « 10 h 00 – 11 h 30 (heure de Paris) · avec Camille Martin · visio ou téléphone ». */
export function slotLabel(slot: SlotLike, zone: string = browserTimeZone()): string {
  const parts = [`${parisTimeRange(slot.startsAt, slot.endsAt)}${localAside(slot.startsAt, zone)}`];
  if (slot.coachName) parts.push(`avec ${slot.coachName}`);
  parts.push(modesLabel(slot.modes));
  return parts.join(" · ");
}

/** « samedi 5 décembre 2026, 9 h 00 – 10 h 00 (heure de Paris) », with the local time beside it. */
export function whenLabel(startsAt: string, endsAt: string, zone: string = browserTimeZone()): string {
  return `${parisDate(startsAt)}, ${parisTimeRange(startsAt, endsAt)}${localAside(startsAt, zone)}`;
}

/** The name of the calendar file offered with « Ajouter à mon agenda ». */
export const CALENDAR_FILE_NAME = "oral-certification.ics";
