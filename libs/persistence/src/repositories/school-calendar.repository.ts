import type { DataSource } from 'typeorm';
import type { SchoolCalendar, SchoolCalendarStore, StoredCalendar } from '#domain';

/** School calendars per board and school (contracts §5 shape, validated before it gets here). */
export class TypeOrmSchoolCalendarStore implements SchoolCalendarStore {
  constructor(private readonly dataSource: DataSource) {}

  async get(board: string, school: string): Promise<StoredCalendar | null> {
    const rows: { calendar: SchoolCalendar; updated_at: Date; updated_by: string }[] =
      await this.dataSource.query(
        `SELECT calendar, updated_at, updated_by FROM school_calendar WHERE board = $1 AND school = $2`,
        [board, school],
      );
    const row = rows[0];
    if (!row) return null;
    return {
      school,
      calendar: row.calendar,
      updatedAt: new Date(row.updated_at).toISOString(),
      updatedBy: row.updated_by,
    };
  }

  async save(board: string, entry: Omit<StoredCalendar, 'updatedAt'>, at: Date): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO school_calendar (board, school, calendar, updated_at, updated_by) VALUES ($1, $2, $3::jsonb, $4, $5)
       ON CONFLICT (board, school) DO UPDATE SET calendar = excluded.calendar, updated_at = excluded.updated_at,
         updated_by = excluded.updated_by`,
      [board, entry.school, JSON.stringify(entry.calendar), at, entry.updatedBy],
    );
  }
}
