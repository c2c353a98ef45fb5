import {
  type Actor,
  NotFoundError,
  type SchoolCalendarStore,
  type StoredCalendar,
  requireBoardScope,
} from '#domain';
import { SCHOOL_CALENDAR_ERRORS } from './school-calendar-error-codes.js';

export class GetSchoolCalendarUseCase {
  constructor(private readonly calendars: SchoolCalendarStore) {}

  async execute(actor: Actor, school: string): Promise<StoredCalendar> {
    const scope = requireBoardScope(actor, 'read');
    const found =
      scope.schools === null || scope.schools.includes(school)
        ? await this.calendars.get(scope.board, school)
        : null;
    if (found === null)
      throw new NotFoundError(
        SCHOOL_CALENDAR_ERRORS.CALENDAR_NOT_FOUND,
        'No calendar stored for this school',
      );
    return found;
  }
}
