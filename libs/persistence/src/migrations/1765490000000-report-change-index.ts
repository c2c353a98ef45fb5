import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The werkvoorraad regroups only the pupils whose reports changed since it last grouped a scope (ADR 0018): it
 * asks for the reports of a board changed since an instant, which this index answers without reading the board.
 */
export class ReportChangeIndex1765490000000 implements MigrationInterface {
  name = 'ReportChangeIndex1765490000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX IF NOT EXISTS "report_draft_changed_idx" ON "report_draft" ("board", "updated_at")`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS "report_draft_changed_idx"`);
  }
}
