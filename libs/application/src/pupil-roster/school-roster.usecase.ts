import {
  type Actor,
  type PupilRosterStore,
  type SchoolRosterEntry,
  NotFoundError,
  requireRosterReadScope,
} from '#domain';
import { PUPIL_ROSTER_ERRORS } from './pupil-roster-error-codes.js';

/** The most pupils one school's roster answer holds (a large school has a few thousand). */
export const SCHOOL_ROSTER_LIMIT = 20_000;

/**
 * Name, group and mentor of every pupil of one school (ADR 0019), for list screens: the werkvoorraad shows names
 * instead of numbers and filters by group and mentor. School staff of that school only; another school is 404.
 */
export class SchoolRosterUseCase {
  constructor(private readonly roster: Pick<PupilRosterStore, 'listSchool'>) {}

  async execute(actor: Actor, school: string): Promise<SchoolRosterEntry[]> {
    const scope = requireRosterReadScope(actor);
    if (!scope.schools.includes(school))
      throw new NotFoundError(PUPIL_ROSTER_ERRORS.SCHOOL_NOT_FOUND, 'The school is not one of your schools');
    return this.roster.listSchool(scope.board, school, SCHOOL_ROSTER_LIMIT);
  }
}
