// Dates and times as people read them: in French, in Paris time, saying so, and with the
// person's own time beside it when their browser is elsewhere at that instant. Written like the
// emails (schema/src/domain/french.rs): « mardi 18 mai 2027 à 9 h 00 », « 1er juin 2027 ».

export const PARIS = "Europe/Paris";
export const PARIS_SUFFIX = "(heure de Paris)";

/** An RFC 3339 string (GraphQL `DateTime`), a Date, or milliseconds since the epoch. */
export type Instant = string | Date | number;

const toDate = (instant: Instant): Date => (instant instanceof Date ? instant : new Date(instant));

interface Parts {
  weekday: string;
  day: number;
  month: string;
  year: number;
  hour: number;
  minute: number;
  second: number;
  monthNumber: number;
}

const wordsFormats = new Map<string, Intl.DateTimeFormat>();
const numbersFormats = new Map<string, Intl.DateTimeFormat>();

function cached(cache: Map<string, Intl.DateTimeFormat>, zone: string, options: Intl.DateTimeFormatOptions) {
  let format = cache.get(zone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat("fr-FR", { ...options, timeZone: zone });
    cache.set(zone, format);
  }
  return format;
}

function partsIn(zone: string, date: Date): Parts {
  const words = cached(wordsFormats, zone, { weekday: "long", month: "long" }).formatToParts(date);
  const numbers = cached(numbersFormats, zone, {
    year: "numeric",
    month: "numeric",
    day: "numeric",
    hour: "numeric",
    minute: "numeric",
    second: "numeric",
    hourCycle: "h23",
  }).formatToParts(date);
  const word = (type: Intl.DateTimeFormatPartTypes) => words.find((p) => p.type === type)?.value ?? "";
  const number = (type: Intl.DateTimeFormatPartTypes) =>
    Number.parseInt(numbers.find((p) => p.type === type)?.value ?? "0", 10);
  return {
    weekday: word("weekday"),
    month: word("month"),
    day: number("day"),
    monthNumber: number("month"),
    year: number("year"),
    hour: number("hour") % 24,
    minute: number("minute"),
    second: number("second"),
  };
}

/** The zone's offset from UTC at that instant, in minutes (Paris: 60 in winter, 120 in summer). */
export function offsetMinutes(zone: string, instant: Instant): number {
  const date = toDate(instant);
  const p = partsIn(zone, date);
  const asUtc = Date.UTC(p.year, p.monthNumber - 1, p.day, p.hour, p.minute, p.second);
  return Math.round((asUtc - (date.getTime() - date.getMilliseconds())) / 60000);
}

/** The browser's time zone (IANA name). */
export function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || PARIS;
}

const dayOrdinal = (day: number) => (day === 1 ? "1er" : String(day));
const clock = (p: Parts) => `${p.hour} h ${String(p.minute).padStart(2, "0")}`;
const longDate = (p: Parts) => `${p.weekday} ${dayOrdinal(p.day)} ${p.month} ${p.year}`;

/** « mardi 18 mai 2027 » (the Paris day of the instant). */
export function parisDate(instant: Instant): string {
  return longDate(partsIn(PARIS, toDate(instant)));
}

/** « 9 h 00 » (Paris time, without the suffix: for lists already titled in Paris time). */
export function parisTime(instant: Instant): string {
  return clock(partsIn(PARIS, toDate(instant)));
}

/** « mardi 18 mai 2027 à 9 h 00 (heure de Paris) ». */
export function parisDateTime(instant: Instant): string {
  const p = partsIn(PARIS, toDate(instant));
  return `${longDate(p)} à ${clock(p)} ${PARIS_SUFFIX}`;
}

/** « 9 h 00 – 10 h 30 (heure de Paris) ». */
export function parisTimeRange(start: Instant, end: Instant): string {
  return `${parisTime(start)} – ${parisTime(end)} ${PARIS_SUFFIX}`;
}

/** « 2027-05-18 »: the Paris day of an instant, to group slots by day. */
export function parisDayKey(instant: Instant): string {
  const p = partsIn(PARIS, toDate(instant));
  return `${p.year}-${String(p.monthNumber).padStart(2, "0")}-${String(p.day).padStart(2, "0")}`;
}

/**
 * The person's own time, when their zone's offset differs from Paris's at that instant:
 * « 4 h 00 à votre heure locale », or with the date when their day is another one
 * (« lundi 17 mai 2027 à 22 h 00 à votre heure locale »); `null` when it is the same time.
 */
export function localTimeAside(instant: Instant, zone: string = browserTimeZone()): string | null {
  const date = toDate(instant);
  if (offsetMinutes(zone, date) === offsetMinutes(PARIS, date)) return null;
  const local = partsIn(zone, date);
  const paris = partsIn(PARIS, date);
  const sameDay = local.year === paris.year && local.monthNumber === paris.monthNumber && local.day === paris.day;
  return `${sameDay ? clock(local) : `${longDate(local)} à ${clock(local)}`} à votre heure locale`;
}

/**
 * « mardi 18 mai 2027 à 9 h 00 (heure de Paris) », followed by
 * « , soit 3 h 00 à votre heure locale » when the browser is elsewhere.
 */
export function dateTimeWithLocal(instant: Instant, zone: string = browserTimeZone()): string {
  const aside = localTimeAside(instant, zone);
  return aside === null ? parisDateTime(instant) : `${parisDateTime(instant)}, soit ${aside}`;
}

/** A calendar date without time (GraphQL `NaiveDate`, « 2027-06-01 ») → « mardi 1er juin 2027 ». */
export function naiveDate(value: string, withWeekday = true): string {
  const [year, month, day] = value.split("-").map((n) => Number.parseInt(n, 10));
  const date = new Date(Date.UTC(year ?? 1970, (month ?? 1) - 1, day ?? 1, 12));
  const p = partsIn("UTC", date);
  const text = longDate(p);
  return withWeekday ? text : text.slice(p.weekday.length + 1);
}
