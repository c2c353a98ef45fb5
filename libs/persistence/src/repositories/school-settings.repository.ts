import type { DataSource } from 'typeorm';
import type { SchoolSettings, SchoolSettingsStore } from '#domain';

/** Per-school settings of the signal side; a school without a row has the defaults (nothing automatic). */
export class TypeOrmSchoolSettingsStore implements SchoolSettingsStore {
  constructor(private readonly dataSource: DataSource) {}

  async get(board: string, school: string): Promise<SchoolSettings> {
    const rows: { auto_approve_mandatory: boolean; updated_at: Date; updated_by: string }[] =
      await this.dataSource.query(
        `SELECT auto_approve_mandatory, updated_at, updated_by FROM school_settings WHERE board = $1 AND school = $2`,
        [board, school],
      );
    const row = rows[0];
    if (!row) return { school, autoApproveMandatory: false, updatedAt: null, updatedBy: null };
    return {
      school,
      autoApproveMandatory: row.auto_approve_mandatory,
      updatedAt: new Date(row.updated_at).toISOString(),
      updatedBy: row.updated_by,
    };
  }

  async save(board: string, settings: Omit<SchoolSettings, 'updatedAt'>, at: Date): Promise<SchoolSettings> {
    await this.dataSource.query(
      `INSERT INTO school_settings (board, school, auto_approve_mandatory, updated_at, updated_by)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (board, school) DO UPDATE SET auto_approve_mandatory = excluded.auto_approve_mandatory,
         updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
      [board, settings.school, settings.autoApproveMandatory, at, settings.updatedBy ?? 'unknown'],
    );
    return { ...settings, updatedAt: at.toISOString() };
  }
}
