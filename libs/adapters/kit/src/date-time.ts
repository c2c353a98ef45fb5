import { ADAPTER_ERRORS } from './adapter-error-codes.js';
// Reading the ISO 8601 date-times of a payload without changing them: the text is kept as given, the parsed
// value only serves checks (end before start) and the school-local date. Plain Intl, no time-zone library.

/** A date-time from a payload: the text as given plus what the checks need. */
export interface DateTime {
  readonly text: string;
  /** True when the text carries `Z` or an offset (an instant); false for naive local time. */
  readonly hasOffset: boolean;
  /** Wall-clock time in Europe/Amsterdam, in milliseconds as if it were UTC (for dates and naive order). */
  readonly wallMs: number;
  /** The instant, when the text has an offset. */
  readonly instantMs: number | null;
}

export type DateTimeError = typeof ADAPTER_ERRORS.WRONG_TYPE | typeof ADAPTER_ERRORS.IMPOSSIBLE_TIME;

const ISO_DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|([+-])(\d{2}):(\d{2}))?$/;

const AMSTERDAM = new Intl.DateTimeFormat('en-US', {
  timeZone: 'Europe/Amsterdam',
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

/** Parses `YYYY-MM-DDTHH:mm[:ss[.fff]][Z|±HH:MM]`; a text of another shape is a wrong type, a 30 February impossible. */
export function parseDateTime(text: string): DateTime | DateTimeError {
  let parsed = parsedByText.get(text);
  if (parsed === undefined) {
    parsed = parseUncached(text);
    if (parsedByText.size >= 50_000) parsedByText.clear();
    parsedByText.set(text, parsed);
  }
  return parsed;
}

/** Recently read texts (frozen results): a payload repeats the same few lesson times for many pupils. */
const parsedByText = new Map<string, DateTime | DateTimeError>();

function parseUncached(text: string): DateTime | DateTimeError {
  const m = ISO_DATE_TIME.exec(text);
  if (m === null) return ADAPTER_ERRORS.WRONG_TYPE;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const hour = Number(m[4]);
  const minute = Number(m[5]);
  const second = m[6] === undefined ? 0 : Number(m[6]);
  const ms = m[7] === undefined ? 0 : Number(m[7].slice(0, 3).padEnd(3, '0'));
  if (year < 1900 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    return ADAPTER_ERRORS.IMPOSSIBLE_TIME;
  }
  if (hour > 23 || minute > 59 || second > 59) return ADAPTER_ERRORS.IMPOSSIBLE_TIME;
  const asUtc = Date.UTC(year, month - 1, day, hour, minute, second, ms);
  if (m[8] === undefined) return Object.freeze({ text, hasOffset: false, wallMs: asUtc, instantMs: null });
  let offsetMinutes = 0;
  if (m[8] !== 'Z') {
    const offsetHours = Number(m[10]);
    const offsetMins = Number(m[11]);
    if (offsetHours > 18 || offsetMins > 59) return ADAPTER_ERRORS.IMPOSSIBLE_TIME;
    offsetMinutes = (m[9] === '-' ? -1 : 1) * (offsetHours * 60 + offsetMins);
  }
  const instantMs = asUtc - offsetMinutes * 60_000;
  return Object.freeze({ text, hasOffset: true, wallMs: amsterdamWallMs(instantMs), instantMs });
}

/** The school-local (Europe/Amsterdam) date, `YYYY-MM-DD`. */
export function localDate(value: DateTime): string {
  const day = Math.floor(value.wallMs / DAY_MS);
  let date = dateByDay.get(day);
  if (date === undefined) {
    date = new Date(day * DAY_MS).toISOString().slice(0, 10);
    if (dateByDay.size >= 100_000) dateByDay.clear();
    dateByDay.set(day, date);
  }
  return date;
}

/** Whether `end` lies before `start`: by instant when both have offsets, else by Amsterdam wall-clock time. */
export function endsBeforeStart(start: DateTime, end: DateTime): boolean {
  if (start.instantMs !== null && end.instantMs !== null) return end.instantMs < start.instantMs;
  return end.wallMs < start.wallMs;
}

/** The local midnight that ends the day of `value`, as naive local time (`2026-02-03T00:00:00`). */
export function endOfLocalDay(value: DateTime): string {
  const day = Math.floor(value.wallMs / 86_400_000) + 1;
  return `${new Date(day * 86_400_000).toISOString().slice(0, 10)}T00:00:00`;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
const offsetByUtcHour = new Map<number, number>();
const dateByDay = new Map<number, string>();

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(year: number, month: number): number {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1];
}

function amsterdamWallMs(instantMs: number): number {
  return instantMs + amsterdamOffsetMs(instantMs);
}

/**
 * The Amsterdam offset of an instant, in ms. Asking Intl for every timestamp of a large payload is the slowest
 * part of reading it, so the offset is cached per UTC hour: modern Amsterdam changes offset only on whole UTC
 * hours, and an hour whose first and last millisecond disagree (the zone's pre-1940 offsets of 19 min 32 s)
 * is never cached but asked for each instant.
 */
function amsterdamOffsetMs(instantMs: number): number {
  const hour = Math.floor(instantMs / HOUR_MS);
  let offset = offsetByUtcHour.get(hour);
  if (offset === undefined) {
    const first = intlOffsetMs(hour * HOUR_MS);
    if (intlOffsetMs(hour * HOUR_MS + HOUR_MS - 1) !== first) return intlOffsetMs(instantMs);
    offset = first;
    if (offsetByUtcHour.size >= 100_000) offsetByUtcHour.clear();
    offsetByUtcHour.set(hour, offset);
  }
  return offset;
}

/**
 * What Intl says: the Amsterdam wall clock of the instant minus the instant. The reference the per-hour cache
 * is property-tested against (date-time.spec.ts), across DST changes and the zone's pre-1940 offsets.
 */
export function intlOffsetMs(instantMs: number): number {
  const parts = AMSTERDAM.formatToParts(instantMs);
  const get = (type: Intl.DateTimeFormatPartTypes): number =>
    Number(parts.find((p) => p.type === type)?.value);
  const subSecond = ((instantMs % 1000) + 1000) % 1000;
  const wall =
    Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second')) +
    subSecond;
  return wall - instantMs;
}
