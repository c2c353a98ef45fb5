import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The indexes of the table, by the name each gets (issue 17: one name per concept; docs/glossary.md). */
const INDEXES = [
  'pkey',
  'school_idx',
  'signal_idx',
  'live_report_idx',
  'pupil_idx',
  'status_pupil_idx',
  'changed_idx',
];

/**
 * A report is a report in every status, not only while it is a `DRAFT` (docs/glossary.md): the table
 * `report_draft` becomes `report`, and its indexes follow. A view under the old name stays for one release, for
 * whoever reads the table outside the gateway (an export, a board's own analysis); it is a simple view, so it can
 * also still be written through. The retention category `report_drafts` in the privacy policy is a public
 * configuration key and is not renamed here.
 */
export class ReportTableName1765580000000 implements MigrationInterface {
  name = 'ReportTableName1765580000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "report_draft" RENAME TO "report"`);
    for (const index of INDEXES) {
      await q.query(`ALTER INDEX IF EXISTS "report_draft_${index}" RENAME TO "report_${index}"`);
    }
    await q.query(`CREATE VIEW "report_draft" AS SELECT * FROM "report"`);
    await q.query(
      `COMMENT ON VIEW "report_draft" IS 'Deprecated: the table is called report since 1765580000000'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP VIEW "report_draft"`);
    for (const index of INDEXES) {
      await q.query(`ALTER INDEX IF EXISTS "report_${index}" RENAME TO "report_draft_${index}"`);
    }
    await q.query(`ALTER TABLE "report" RENAME TO "report_draft"`);
  }
}
