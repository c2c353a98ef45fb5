import { ADAPTER_ERRORS } from '#adapter-kit';
/**
 * Magister's .NET timestamps: `2026-01-12T23:00:00.0000000Z`. JavaScript's Date reads at most three
 * fractional digits reliably, so the timestamp is taken apart here and the fraction cut to milliseconds.
 */

/** A timestamp as written. For a zone-less one, `epochMs` reads the wall clock as if it were UTC. */
export interface Timestamp {
  readonly epochMs: number;
  /** It carried `Z` or an offset: an instant. */
  readonly zoned: boolean;
  /** The date as written, YYYY-MM-DD (for a zone-less timestamp: the school-local date). */
  readonly writtenDate: string;
}

export type TimestampOutcome =
  | { readonly ok: true; readonly value: Timestamp }
  | {
      readonly ok: false;
      readonly reason: typeof ADAPTER_ERRORS.WRONG_TYPE | typeof ADAPTER_ERRORS.IMPOSSIBLE_TIME;
    };

const PATTERN =
  /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** Years outside this range are defaults (.NET `DateTime.MinValue`) or typos, never an absence. */
const MIN_YEAR = 1900;
const MAX_YEAR = 2199;

/** Recently read texts: a payload repeats the same few lesson times and midnights for many pupils. */
const outcomeByText = new Map<string, TimestampOutcome>();
const CACHE_LIMIT = 50_000;

export function parseTimestamp(text: string): TimestampOutcome {
  let outcome = outcomeByText.get(text);
  if (outcome === undefined) {
    outcome = Object.freeze(parseUncached(text));
    if (outcomeByText.size >= CACHE_LIMIT) outcomeByText.clear();
    outcomeByText.set(text, outcome);
  }
  return outcome;
}

/** Two ASCII digits at `i` as a number; -1 when either is no digit. */
function twoDigits(text: string, i: number): number {
  const a = text.charCodeAt(i) - 48;
  const b = text.charCodeAt(i + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/**
 * The instant of the common Magister form, `YYYY-MM-DDTHH:MM:SS[.f…]Z` exactly (no spaces, no offset), read
 * without the cache's lookup; NaN for any other text, which `parseTimestamp` then reads (and judges). Where it
 * gives a number, it is the `epochMs` `parseTimestamp` gives, zoned.
 */
export function zuluEpochMs(text: string): number {
  const n = text.length;
  if (n !== 20 && (n < 22 || n > 30)) return Number.NaN;
  if (
    text.charCodeAt(n - 1) !== 90 || // Z
    text.charCodeAt(4) !== 45 || // -
    text.charCodeAt(7) !== 45 ||
    text.charCodeAt(10) !== 84 || // T
    text.charCodeAt(13) !== 58 || // :
    text.charCodeAt(16) !== 58
  ) {
    return Number.NaN;
  }
  const century = twoDigits(text, 0);
  const yy = twoDigits(text, 2);
  const month = twoDigits(text, 5);
  const day = twoDigits(text, 8);
  const hour = twoDigits(text, 11);
  const minute = twoDigits(text, 14);
  const second = twoDigits(text, 17);
  if (century < 0 || yy < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0)
    return Number.NaN;
  let millis = 0;
  if (n > 20) {
    if (text.charCodeAt(19) !== 46) return Number.NaN; // .
    for (let i = 20; i < n - 1; i++) {
      const d = text.charCodeAt(i) - 48;
      if (d < 0 || d > 9) return Number.NaN;
      if (i < 23) millis = millis * 10 + d;
    }
    // Fewer than three fraction digits are padded with zeros (".5" is 500 ms).
    for (let i = Math.min(n - 1, 23); i < 23; i++) millis *= 10;
  }
  const year = century * 100 + yy;
  if (
    year < MIN_YEAR ||
    year > MAX_YEAR ||
    month < 1 ||
    month > 12 ||
    day < 1 ||
    day > daysInMonth(year, month) ||
    hour > 23 ||
    minute > 59 ||
    second > 59
  ) {
    return Number.NaN;
  }
  return Date.UTC(year, month - 1, day, hour, minute, second, millis);
}

function parseUncached(text: string): TimestampOutcome {
  const m = PATTERN.exec(text.trim());
  if (m === null) return { ok: false, reason: ADAPTER_ERRORS.WRONG_TYPE };
  const [, ys, mos, ds, hs = '00', mis = '00', ss = '00', fraction = '', zone] = m;
  const year = Number(ys);
  const month = Number(mos);
  const day = Number(ds);
  const hour = Number(hs);
  const minute = Number(mis);
  const second = Number(ss);
  if (
    year < MIN_YEAR ||
    year > MAX_YEAR ||
    month < 1 ||
    month > 12 ||
    day < 1 ||
    day > daysInMonth(year, month) ||
    hour > 23 ||
    minute > 59 ||
    second > 59
  ) {
    return { ok: false, reason: ADAPTER_ERRORS.IMPOSSIBLE_TIME };
  }
  const millis = Number(fraction.padEnd(3, '0').slice(0, 3));
  let epochMs = Date.UTC(year, month - 1, day, hour, minute, second, millis);
  if (zone !== undefined && zone !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    const offsetHours = Number(digits.slice(0, 2));
    const offsetMinutes = Number(digits.slice(2));
    if (offsetHours > 14 || offsetMinutes > 59) return { ok: false, reason: ADAPTER_ERRORS.IMPOSSIBLE_TIME };
    epochMs -= sign * (offsetHours * 60 + offsetMinutes) * 60_000;
  }
  return {
    ok: true,
    value: Object.freeze({ epochMs, zoned: zone !== undefined, writtenDate: `${ys}-${mos}-${ds}` }),
  };
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

const AMSTERDAM_DATE = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/Amsterdam',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});
const HOUR_MS = 3_600_000;
/**
 * Amsterdam's offsets are whole hours, so its dates change only on whole UTC hours: one lookup per UTC hour
 * is exact, and a large payload mostly repeats the same few hours.
 */
const dateByUtcHour = new Map<number, string>();

/** The Europe/Amsterdam calendar date of an instant, YYYY-MM-DD (CET and CEST alike). */
export function amsterdamDate(epochMs: number): string {
  const hour = Math.floor(epochMs / HOUR_MS);
  let date = dateByUtcHour.get(hour);
  if (date === undefined) {
    date = AMSTERDAM_DATE.format(new Date(hour * HOUR_MS));
    if (dateByUtcHour.size >= 50_000) dateByUtcHour.clear();
    dateByUtcHour.set(hour, date);
  }
  return date;
}

/** The school-local date of a timestamp: an instant's Amsterdam date, or a zone-less one's date as written. */
export function localDate(timestamp: Timestamp): string {
  return timestamp.zoned ? amsterdamDate(timestamp.epochMs) : timestamp.writtenDate;
}

/** ISO 8601 in UTC with `Z`, without a `.000` fraction: `2026-01-13T08:20:00Z`. */
export function utcIso(epochMs: number): string {
  let text = isoByMs.get(epochMs);
  if (text === undefined) {
    const iso = new Date(epochMs).toISOString();
    text = iso.endsWith('.000Z') ? `${iso.slice(0, -5)}Z` : iso;
    if (isoByMs.size >= CACHE_LIMIT) isoByMs.clear();
    isoByMs.set(epochMs, text);
  }
  return text;
}

const isoByMs = new Map<number, string>();

/** The calendar day after a YYYY-MM-DD date. */
export function nextDate(date: string): string {
  const next = new Date(`${date}T00:00:00Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  return next.toISOString().slice(0, 10);
}
