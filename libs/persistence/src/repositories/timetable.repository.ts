import type { DataSource } from 'typeorm';
import type { Lesson, StoredBellSchedule, TimetableRepository } from '#domain';

/** Lessons of some pupils, and lessons without a pupil, of one school on days $3..$4. */
export const LESSONS_FOR = `SELECT payload FROM lesson
  WHERE board = $1 AND school = $2 AND date BETWEEN $3::date AND $4::date AND (pupil = '' OR pupil = ANY($5::text[]))
  ORDER BY pupil, lesson_id`;

/** Lessons stored from ingested timetable payloads, and bell schedules, per board and school (ADR 0009). */
export class TypeOrmTimetableRepository implements TimetableRepository {
  constructor(private readonly dataSource: DataSource) {}

  async lessonsFor(
    board: string,
    school: string,
    pupils: readonly string[],
    from: string,
    to: string,
  ): Promise<Lesson[]> {
    const rows: { payload: Lesson }[] = await this.dataSource.query(LESSONS_FOR, [
      board,
      school,
      from,
      to,
      [...pupils],
    ]);
    return rows.map((row) => row.payload);
  }

  async bellSchedule(board: string, school: string): Promise<StoredBellSchedule | null> {
    const rows: { slots: StoredBellSchedule['slots']; updated_at: Date; updated_by: string }[] =
      await this.dataSource.query(
        `SELECT slots, updated_at, updated_by FROM bell_schedule WHERE board = $1 AND school = $2`,
        [board, school],
      );
    const row = rows[0];
    if (!row) return null;
    return {
      school,
      slots: row.slots,
      updatedAt: new Date(row.updated_at).toISOString(),
      updatedBy: row.updated_by,
    };
  }

  async saveBellSchedule(
    board: string,
    schedule: Omit<StoredBellSchedule, 'updatedAt'>,
    at: Date,
  ): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO bell_schedule (board, school, slots, updated_at, updated_by) VALUES ($1, $2, $3::jsonb, $4, $5)
       ON CONFLICT (board, school) DO UPDATE SET slots = excluded.slots, updated_at = excluded.updated_at,
         updated_by = excluded.updated_by`,
      [board, schedule.school, JSON.stringify(schedule.slots), at, schedule.updatedBy],
    );
  }
}
