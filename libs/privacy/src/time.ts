import { DateTime, Duration } from 'luxon';
import { ValidationError } from '#domain';
import { POLICY_ERRORS } from './policy-error-codes.js';

const ZONE = 'Europe/Amsterdam';
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * An instant in epoch milliseconds. A date alone is midnight at the start of that day in Europe/Amsterdam
 * (school-local); a date-time without an offset is Amsterdam wall time. NaN when unreadable.
 */
export function instantOf(value: Date | string): number {
  if (value instanceof Date) return value.getTime();
  if (typeof value !== 'string') return Number.NaN;
  // Callers decide many requests at one moment; parsing the same text again is the costliest step.
  const known = parsedInstants.get(value);
  if (known !== undefined) return known;
  const ms = parseInstant(value);
  if (parsedInstants.size >= 256) parsedInstants.clear();
  parsedInstants.set(value, ms);
  return ms;
}

const parsedInstants = new Map<string, number>();

function parseInstant(value: string): number {
  const parsed = DATE_ONLY.test(value)
    ? DateTime.fromISO(value, { zone: ZONE })
    : DateTime.fromISO(value, { zone: ZONE, setZone: false });
  return parsed.isValid ? parsed.toMillis() : Number.NaN;
}

/** Like instantOf, but a bad `at` is a caller's mistake: a coded validation error. */
export function requireInstant(value: Date | string, what: string): number {
  const ms = instantOf(value);
  if (Number.isNaN(ms))
    throw new ValidationError(POLICY_ERRORS.INVALID_INSTANT, `${what} is not a date or ISO instant`);
  return ms;
}

/** The school-local date of an instant, for explanations: "1 augustus 2025". */
export function dutchDate(ms: number): string {
  return DateTime.fromMillis(ms, { zone: ZONE }).setLocale('nl').toFormat('d MMMM yyyy');
}

/** An ISO instant (UTC) for machine-readable output. */
export function isoInstant(ms: number): string {
  return new Date(ms).toISOString();
}

/** Approximate length of an ISO 8601 duration in ms (months 30 days, years 365), for "the shortest of". */
export function durationMs(iso: string): number {
  const d = Duration.fromISO(iso);
  return d.isValid ? d.toMillis() : Number.NaN;
}
