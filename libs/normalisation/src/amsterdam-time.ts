import { IANAZone } from 'luxon';

/**
 * Europe/Amsterdam wall time ↔ instants. luxon knows the zone's rules; we only cache what it tells us, because
 * asking luxon for every timestamp of a large batch is the slowest part of normalisation.
 *
 * Times are handled as epoch milliseconds, truncated to whole seconds (lesson times have no meaningful
 * sub-second part, and Magister's 7 fractional digits would otherwise leak into ids and output).
 */
const ZONE = IANAZone.create('Europe/Amsterdam');

export const SECOND_MS = 1_000;
export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

/** A parsed ISO 8601 text: an instant (offset or Z), naive wall time in Amsterdam, or a date only. */
export interface ParsedTime {
  /** The instant; for a date only, local midnight of that date. */
  readonly ms: number;
  readonly form: 'instant' | 'local' | 'date';
  /** Written in UTC (`Z` or `+00:00`): how Magister writes its date-only local midnights. */
  readonly zulu: boolean;
}

const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?(?:([Zz])|([+-])(\d{2}):?(\d{2}))?)?$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

function validYmd(year: number, month: number, day: number): boolean {
  // Years below 1000 are typos here, and Date.UTC would read 0–99 as 1900–1999.
  return year >= 1000 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

/**
 * What luxon says about one UTC day: the offset, or — on the few days near a change — the offsets before and
 * after and the instant it changes (found with luxon by bisection, once per such day). The zone changes offset
 * at most twice a year, months apart, so a window of a few days holds at most one change.
 */
interface DayOffsets {
  readonly before: number;
  readonly after: number;
  readonly changeAt: number;
}

const offsetsByUtcDay = new Map<number, DayOffsets>();

/**
 * A window of days (about 45 years around the first day asked for) indexed by array position: looked up
 * several times per record, so cheaper than the map, which keeps the days outside it.
 */
const WINDOW_DAYS = 16_384;
let windowStart: number | null = null;
const windowOffsets: (DayOffsets | undefined)[] = new Array<DayOffsets | undefined>(WINDOW_DAYS).fill(
  undefined,
);

function dayOffsets(day: number): DayOffsets {
  windowStart ??= day - WINDOW_DAYS / 2;
  const slot = day - windowStart;
  if (slot >= 0 && slot < WINDOW_DAYS) {
    let offsets = windowOffsets[slot];
    if (offsets === undefined) {
      offsets = dayOffsetsFromMap(day);
      windowOffsets[slot] = offsets;
    }
    return offsets;
  }
  return dayOffsetsFromMap(day);
}

function dayOffsetsFromMap(day: number): DayOffsets {
  let cached = offsetsByUtcDay.get(day);
  if (cached === undefined) {
    let lo = (day - 1) * DAY_MS;
    let hi = (day + 2) * DAY_MS;
    const before = ZONE.offset(lo);
    const after = ZONE.offset(hi);
    if (before === after) {
      cached = { before, after, changeAt: hi };
    } else {
      // Invariant: offset(lo) = before, offset(hi) = after; narrow to the first millisecond of `after`.
      while (hi - lo > 1) {
        const mid = Math.floor((lo + hi) / 2);
        if (ZONE.offset(mid) === before) lo = mid;
        else hi = mid;
      }
      cached = { before, after, changeAt: hi };
    }
    offsetsByUtcDay.set(day, cached);
  }
  return cached;
}

/** The Amsterdam offset in minutes at an instant. */
export function offsetAt(ms: number): number {
  const offsets = dayOffsets(Math.floor(ms / DAY_MS));
  return ms < offsets.changeAt ? offsets.before : offsets.after;
}

/**
 * The instant of an Amsterdam wall time, or null when that wall time does not exist (the hour skipped when
 * summer time starts). A wall time that occurs twice (the hour repeated when it ends) is read as its first
 * occurrence, in summer time: a school system writing naive times registered it before the clocks went back.
 */
export function wallToInstant(wallAsUtcMs: number): number | null {
  const offsets = dayOffsets(Math.floor(wallAsUtcMs / DAY_MS));
  if (offsets.before === offsets.after) {
    // No change within a day either side: the wall time has exactly one instant.
    const candidate = wallAsUtcMs - offsets.before * MINUTE_MS;
    if (offsetAt(candidate) === offsets.before) return candidate;
  }
  // Near a change: of the offsets in force a day before and a day after, keep those that hold at the instant
  // they give; none holds in the skipped hour, both in the repeated one (take the earlier instant).
  let best: number | null = null;
  for (const offset of [offsetAt(wallAsUtcMs - DAY_MS), offsetAt(wallAsUtcMs + DAY_MS)]) {
    const candidate = wallAsUtcMs - offset * MINUTE_MS;
    if (offsetAt(candidate) === offset && (best === null || candidate < best)) best = candidate;
  }
  return best;
}

/** Recently parsed texts: a batch repeats the same few lesson times for many pupils. */
const parsedCache = new Map<string, ParsedTime | null>();
const PARSED_CACHE_LIMIT = 50_000;

/** Parses ISO 8601 (date, naive local date-time, or date-time with offset); null when it is not a valid time. */
export function parseTime(text: string): ParsedTime | null {
  let parsed = parsedCache.get(text);
  if (parsed === undefined) {
    parsed = parseUncached(text);
    if (parsedCache.size >= PARSED_CACHE_LIMIT) parsedCache.clear();
    parsedCache.set(text, parsed);
  }
  return parsed;
}

function parseUncached(text: string): ParsedTime | null {
  const m = ISO.exec(text);
  if (m === null) return null;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (!validYmd(year, month, day)) return null;
  if (m[4] === undefined) {
    const ms = wallToInstant(Date.UTC(year, month - 1, day));
    return ms === null ? null : { ms, form: 'date', zulu: false };
  }
  const hour = Number(m[4]);
  const minute = Number(m[5]);
  const second = m[6] === undefined ? 0 : Number(m[6]);
  if (hour > 23 || minute > 59 || second > 59) return null;
  const wall = Date.UTC(year, month - 1, day, hour, minute, second);
  if (m[7] !== undefined) return { ms: wall, form: 'instant', zulu: true };
  if (m[8] !== undefined) {
    const offsetHours = Number(m[9]);
    const offsetMinutes = Number(m[10]);
    if (offsetHours > 18 || offsetMinutes > 59) return null;
    const offset = (m[8] === '-' ? -1 : 1) * (offsetHours * 60 + offsetMinutes);
    return { ms: wall - offset * MINUTE_MS, form: 'instant', zulu: offset === 0 };
  }
  const ms = wallToInstant(wall);
  return ms === null ? null : { ms, form: 'local', zulu: false };
}

/** Day index (days since 1970-01-01) of a valid `YYYY-MM-DD`, or null. */
export function parseDateKey(text: string): number | null {
  let day = dayByDateKey.get(text);
  if (day === undefined) {
    day = parseDateKeyUncached(text);
    if (dayByDateKey.size >= PARSED_CACHE_LIMIT) dayByDateKey.clear();
    dayByDateKey.set(text, day);
  }
  return day;
}

const dayByDateKey = new Map<string, number | null>();

function parseDateKeyUncached(text: string): number | null {
  const m = DATE.exec(text);
  if (m === null) return null;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  return validYmd(year, month, day) ? Date.UTC(year, month - 1, day) / DAY_MS : null;
}

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

const dateKeyByDay = new Map<number, string>();

/** `YYYY-MM-DD` of a day index (days since 1970-01-01, calendar arithmetic only). */
export function dateKeyOfDay(day: number): string {
  let key = dateKeyByDay.get(day);
  if (key === undefined) {
    const d = new Date(day * DAY_MS);
    key = `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`;
    dateKeyByDay.set(day, key);
  }
  return key;
}

/** Wall-clock milliseconds of an instant (the instant as if Amsterdam were UTC). */
export function localWallMs(ms: number): number {
  return ms + offsetAt(ms) * MINUTE_MS;
}

/** The Amsterdam day index of an instant. */
export function localDayOf(ms: number): number {
  return Math.floor(localWallMs(ms) / DAY_MS);
}

/** The Amsterdam date of an instant. */
export function localDateKeyOf(ms: number): string {
  return dateKeyOfDay(localDayOf(ms));
}

/** The instant of local midnight that starts a day (midnight always exists in Amsterdam). */
export function startOfLocalDay(day: number): number {
  return wallToInstant(day * DAY_MS) ?? day * DAY_MS;
}

/** `0` Sunday … `6` Saturday, of a day index. */
export function weekdayOfDay(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

/** `THH:mm:ss+hh:mm` per (second of the day, offset): lessons share a few start and end times. */
const timeSuffixes = new Map<number, string>();

/** Formatted instants: many pupils share the same lesson times, so their records can share the strings. */
const formatted = new Map<number, string>();
const FORMATTED_LIMIT = 50_000;

/** ISO 8601 with the Amsterdam offset, to the second: `2026-01-13T09:20:00+01:00`. */
export function formatLocal(ms: number): string {
  let text = formatted.get(ms);
  if (text === undefined) {
    text = formatUncached(ms);
    if (formatted.size >= FORMATTED_LIMIT) formatted.clear();
    formatted.set(ms, text);
  }
  return text;
}

function formatUncached(ms: number): string {
  const offset = offsetAt(ms);
  const wall = ms + offset * MINUTE_MS;
  const day = Math.floor(wall / DAY_MS);
  const secondsOfDay = Math.floor((wall - day * DAY_MS) / SECOND_MS);
  const key = secondsOfDay * 2048 + offset + 1024;
  let suffix = timeSuffixes.get(key);
  if (suffix === undefined) {
    const h = Math.floor(secondsOfDay / 3600);
    const mi = Math.floor((secondsOfDay % 3600) / 60);
    const s = secondsOfDay % 60;
    const sign = offset < 0 ? '-' : '+';
    const abs = Math.abs(offset);
    suffix = `T${pad2(h)}:${pad2(mi)}:${pad2(s)}${sign}${pad2(Math.floor(abs / 60))}:${pad2(abs % 60)}`;
    timeSuffixes.set(key, suffix);
  }
  return dateKeyOfDay(day) + suffix;
}

/**
 * Any ISO 8601 time (instant, naive Amsterdam wall time, or date) as ISO with the Amsterdam offset; a date
 * gives its local midnight. Null when the text is no valid time, or names a wall time that does not exist.
 */
export function toLocalIso(instantOrNaive: string): string | null {
  const parsed = parseTime(instantOrNaive);
  return parsed === null ? null : formatLocal(parsed.ms);
}

/** The Amsterdam date (`YYYY-MM-DD`) of any ISO 8601 time or date; null when it is not valid. */
export function localDateOf(instantOrNaiveOrDate: string): string | null {
  const parsed = parseTime(instantOrNaiveOrDate);
  if (parsed === null) return null;
  return localDateKeyOf(parsed.ms);
}
