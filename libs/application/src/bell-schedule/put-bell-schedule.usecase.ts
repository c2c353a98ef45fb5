import {
  type Actor,
  type Clock,
  type StoredBellSchedule,
  type TimetableRepository,
  ValidationError,
  requireBoardScope,
  requireRole,
} from '#domain';
import { parseBellSchedule } from '#normalisation';
import { resolveSchool } from '../ingest-payload/index.js';
import { BELL_SCHEDULE_ERRORS } from './bell-schedule-error-codes.js';

export interface PutBellScheduleCommand {
  readonly actor: Actor;
  readonly school: string;
  /** The lesson hours, as `parseBellScheduleBody` reads them. */
  readonly schedule: StoredBellSchedule['slots'];
}

/**
 * A bell-schedule body: `{ bellSchedule: [...] }` (the school calendar shape) or a bare array of
 * `{ lessonHour, start, end }`; else `BELL_SCHEDULE_INVALID` with every issue.
 */
export function parseBellScheduleBody(body: unknown): StoredBellSchedule['slots'] {
  const parsed = parseBellSchedule(body);
  if (!parsed.ok) {
    throw new ValidationError(
      BELL_SCHEDULE_ERRORS.BELL_SCHEDULE_INVALID,
      'The bell schedule was refused',
      parsed.issues,
    );
  }
  return parsed.value;
}

/**
 * A school's bell schedule (lesrooster): stored per board and school, used at ingest for records that name lesson
 * hours but no times, and to expand whole days when no timetable is stored (ADR 0009).
 */
export class PutBellScheduleUseCase {
  constructor(
    private readonly timetables: TimetableRepository,
    private readonly clock: Clock,
  ) {}

  async execute(command: PutBellScheduleCommand): Promise<StoredBellSchedule> {
    requireRole(command.actor, ['school_staff'], 'Only school staff set the bell schedule');
    const scope = requireBoardScope(command.actor, 'write');
    const school = resolveSchool(command.actor, scope, command.school);
    const now = this.clock.now();
    const entry = { school, slots: command.schedule, updatedBy: command.actor.subject };
    await this.timetables.saveBellSchedule(scope.board, entry, now);
    return { ...entry, updatedAt: now.toISOString() };
  }
}
