import {
  type Actor,
  type Clock,
  type SchoolCalendar,
  type SchoolCalendarStore,
  type StoredCalendar,
  ValidationError,
  requireRole,
} from '#domain';
import { parseSchoolCalendar } from './parse-school-calendar.js';
import { schoolInScope } from '../shared/school-day.js';
import { SCHOOL_CALENDAR_ERRORS } from './school-calendar-error-codes.js';

/** A calendar body (contracts §5) as the use case takes it; else `CALENDAR_INVALID` with every issue. */
export function parseSchoolCalendarBody(body: unknown): SchoolCalendar {
  const parsed = parseSchoolCalendar(body);
  if (!parsed.ok) {
    throw new ValidationError(
      SCHOOL_CALENDAR_ERRORS.CALENDAR_INVALID,
      'The school calendar was refused',
      parsed.issues,
    );
  }
  return parsed.value;
}

/** A school's calendar (school days, holidays, closed days, bell schedule), stored per board and school. */
export class PutSchoolCalendarUseCase {
  constructor(
    private readonly calendars: SchoolCalendarStore,
    private readonly clock: Clock,
  ) {}

  async execute(actor: Actor, school: string, calendar: SchoolCalendar): Promise<StoredCalendar> {
    requireRole(actor, ['school_staff'], 'Only school staff set the school calendar');
    const scope = schoolInScope(actor, 'write', school);
    const brin = calendar.school?.brin;
    if (brin !== undefined && brin !== school) {
      throw new ValidationError(SCHOOL_CALENDAR_ERRORS.CALENDAR_INVALID, 'The school calendar was refused', [
        {
          field: 'school.brin',
          code: SCHOOL_CALENDAR_ERRORS.SCHOOL_MISMATCH,
          message: 'not the school in the path',
        },
      ]);
    }
    const now = this.clock.now();
    const entry = { school, calendar, updatedBy: actor.subject };
    await this.calendars.save(scope.board, entry, now);
    return { ...entry, updatedAt: now.toISOString() };
  }
}
