import {
  type Actor,
  NotFoundError,
  type StoredBellSchedule,
  type TimetableRepository,
  requireBoardScope,
} from '#domain';
import { BELL_SCHEDULE_ERRORS } from './bell-schedule-error-codes.js';

export class GetBellScheduleUseCase {
  constructor(private readonly timetables: TimetableRepository) {}

  async execute(actor: Actor, school: string): Promise<StoredBellSchedule> {
    const scope = requireBoardScope(actor, 'read');
    if (scope.schools !== null && !scope.schools.includes(school)) {
      throw new NotFoundError(
        BELL_SCHEDULE_ERRORS.BELL_SCHEDULE_NOT_FOUND,
        'No bell schedule stored for this school',
      );
    }
    const found = await this.timetables.bellSchedule(scope.board, school);
    if (found === null)
      throw new NotFoundError(
        BELL_SCHEDULE_ERRORS.BELL_SCHEDULE_NOT_FOUND,
        'No bell schedule stored for this school',
      );
    return found;
  }
}
