import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Cases per absence episode (ADR 0018): which reports form a case is computed; only the end date staff set on a
 * case is stored, keyed by the case id (its earliest report's id). Indexes for the werkvoorraad: a pupil's reports
 * at a school, and the pending (DRAFT) reports of a board.
 */
export class ReportCases1765450000000 implements MigrationInterface {
  name = 'ReportCases1765450000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "report_case" (
      "board" text NOT NULL,
      "case_id" uuid NOT NULL,
      "school" text NOT NULL,
      "pupil_local_id" text NOT NULL,
      "end_date" date NOT NULL,
      "ended_by" text NOT NULL,
      "ended_at" timestamptz NOT NULL,
      PRIMARY KEY ("board", "case_id")
    )`);
    await q.query(
      `CREATE INDEX "report_case_pupil_idx" ON "report_case" ("board", "school", "pupil_local_id")`,
    );
    await q.query(
      `CREATE INDEX "report_draft_pupil_idx" ON "report_draft" ("board", "school", "pupil_local_id")`,
    );
    await q.query(
      `CREATE INDEX "report_draft_status_pupil_idx" ON "report_draft" ("board", "status", "school", "pupil_local_id")`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "report_draft_status_pupil_idx"`);
    await q.query(`DROP INDEX "report_draft_pupil_idx"`);
    await q.query(`DROP TABLE "report_case"`);
  }
}
