/**
 * School-local calendar dates ("YYYY-MM-DD") as integer day numbers (days since 1970-01-01). A calendar date
 * has no time of day, so day arithmetic is exact and daylight saving time cannot shift it; only instants
 * (record start/end with an offset) need a time zone, and those carry their offset (Date.parse honours it).
 */
const DAY_MS = 86_400_000;
const cache = new Map<string, number>();

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Day number of a valid date, or NaN. Cached: a school year has a few hundred distinct dates. */
export function dayNumber(date: string): number {
  const hit = cache.get(date);
  if (hit !== undefined) return hit;
  const m = DATE_RE.exec(date);
  let n = Number.NaN;
  if (m) {
    const y = Number(m[1]);
    const mo = Number(m[2]);
    const d = Number(m[3]);
    const ms = Date.UTC(y, mo - 1, d);
    const back = new Date(ms);
    if (back.getUTCFullYear() === y && back.getUTCMonth() === mo - 1 && back.getUTCDate() === d) {
      n = ms / DAY_MS;
    }
  }
  if (cache.size < 100_000) cache.set(date, n);
  return n;
}

export function isValidDate(date: unknown): date is string {
  return typeof date === 'string' && !Number.isNaN(dayNumber(date));
}

const dateCache = new Map<number, string>();
export function dateOf(day: number): string {
  const hit = dateCache.get(day);
  if (hit !== undefined) return hit;
  const s = new Date(day * DAY_MS).toISOString().slice(0, 10);
  if (dateCache.size < 100_000) dateCache.set(day, s);
  return s;
}

/** 0 = Monday … 6 = Sunday (1970-01-01 was a Thursday). */
export function weekdayOf(day: number): number {
  return (((day + 3) % 7) + 7) % 7;
}

/** The Monday of the ISO week a day falls in. */
export function mondayOf(day: number): number {
  return day - weekdayOf(day);
}

/** Completed years of age on a date (a 29 February birthday turns over on 1 March in common years). */
export function ageOn(birthDate: string, date: string): number {
  const by = Number(birthDate.slice(0, 4));
  const bm = Number(birthDate.slice(5, 7));
  const bd = Number(birthDate.slice(8, 10));
  const y = Number(date.slice(0, 4));
  const m = Number(date.slice(5, 7));
  const d = Number(date.slice(8, 10));
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

/** The date `n` working days (Monday to Friday) after `day`. */
export function addWorkingDays(day: number, n: number): number {
  let out = day;
  let left = n;
  while (left > 0) {
    out++;
    if (weekdayOf(out) < 5) left--;
  }
  return out;
}

/** Minutes between two ISO 8601 instants with offsets; null when either is missing or unreadable. */
export function minutesBetween(start: string | null, end: string | null): number | null {
  if (start === null || end === null) return null;
  const a = Date.parse(start);
  const b = Date.parse(end);
  if (Number.isNaN(a) || Number.isNaN(b) || b < a) return null;
  return Math.round((b - a) / 60_000);
}
