import { type Access, type Actor, NotFoundError, requireBoardScope } from '#domain';
import { localDateOf } from '#normalisation';
import { SHARED_ERRORS } from './shared-error-codes.js';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A real calendar date `YYYY-MM-DD` (no 2026-02-30). */
export function isIsoDate(value: unknown): value is string {
  if (typeof value !== 'string' || !DATE.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

/** The school-local date (Europe/Amsterdam) of an instant. */
export function schoolToday(now: Date): string {
  const today = localDateOf(now.toISOString());
  if (today === null) throw new RangeError('clock outside the supported range');
  return today;
}

/**
 * The board of an actor that may touch this school. A school outside the token's schools looks like a school
 * that does not exist (404), as records of another board do.
 */
export function schoolInScope(
  actor: Actor,
  access: Access,
  school: string,
): { board: string; school: string } {
  const scope = requireBoardScope(actor, access);
  if (scope.schools !== null && !scope.schools.includes(school)) {
    throw new NotFoundError(SHARED_ERRORS.SCHOOL_NOT_FOUND, 'This school is not in your scope');
  }
  return { board: scope.board, school };
}
