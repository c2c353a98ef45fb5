import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Frozen with this migration (a later lifecycle change adds its own). */
export const LIVE_REPORT_STATUSES = `'DRAFT', 'APPROVED', 'QUEUED', 'SENT', 'REGISTERED', 'IN_BEHANDELING'`;

/**
 * The signal side's store: school calendars and settings per board and school, stored signals with their
 * status, and report drafts (contracts §7) with their lifecycle.
 */
export class SignalsStore1764700000000 implements MigrationInterface {
  name = 'SignalsStore1764700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "school_calendar" (
      "board" text NOT NULL,
      "school" text NOT NULL,
      "calendar" jsonb NOT NULL,
      "updated_at" timestamptz NOT NULL,
      "updated_by" text NOT NULL,
      PRIMARY KEY ("board", "school")
    )`);
    await q.query(`CREATE TABLE "school_settings" (
      "board" text NOT NULL,
      "school" text NOT NULL,
      "auto_approve_mandatory" boolean NOT NULL DEFAULT false,
      "updated_at" timestamptz NOT NULL,
      "updated_by" text NOT NULL,
      PRIMARY KEY ("board", "school")
    )`);
    await q.query(`CREATE TABLE "signal" (
      "board" text NOT NULL,
      "signal_id" text NOT NULL,
      "school" text NOT NULL,
      "pupil_local_id" text NOT NULL,
      "rule" text NOT NULL,
      "status" text NOT NULL,
      "withdrawn_reason" text,
      "replaced_by" text,
      "payload" jsonb NOT NULL,
      "created_at" timestamptz NOT NULL,
      "updated_at" timestamptz NOT NULL,
      PRIMARY KEY ("board", "signal_id")
    )`);
    await q.query(`CREATE INDEX "signal_school_idx" ON "signal" ("board", "school", "status", "rule")`);
    await q.query(`CREATE INDEX "signal_pupil_idx" ON "signal" ("board", "pupil_local_id")`);
    await q.query(`CREATE TABLE "report_draft" (
      "id" uuid PRIMARY KEY,
      "board" text NOT NULL,
      "school" text NOT NULL,
      "pupil_local_id" text NOT NULL,
      "signal_id" text NOT NULL,
      "rule" text NOT NULL,
      "kind" text NOT NULL,
      "status" text NOT NULL,
      "action" text NOT NULL,
      "supersedes" uuid,
      "mandatory" boolean NOT NULL,
      "deadline" date,
      "fields" jsonb NOT NULL,
      "decided_by" text,
      "decided_at" timestamptz,
      "dismiss_reason" text,
      "created_at" timestamptz NOT NULL,
      "updated_at" timestamptz NOT NULL
    )`);
    await q.query(`CREATE INDEX "report_draft_school_idx" ON "report_draft" ("board", "school", "status")`);
    await q.query(`CREATE INDEX "report_draft_signal_idx" ON "report_draft" ("board", "signal_id")`);
    // One live first report per signal, even when two workers evaluate the same pupil at once.
    await q.query(
      `CREATE UNIQUE INDEX "report_draft_live_report_idx" ON "report_draft" ("board", "signal_id")
       WHERE "action" = 'REPORT' AND "status" IN (${LIVE_REPORT_STATUSES})`,
    );
    // The periodic analysis reads a school's current records by date.
    await q.query(
      `CREATE INDEX "canonical_record_school_date_idx" ON "canonical_record" ("board", "school_brin", "date")
       WHERE NOT "deleted"`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "canonical_record_school_date_idx"`);
    await q.query(`DROP TABLE "report_draft"`);
    await q.query(`DROP TABLE "signal"`);
    await q.query(`DROP TABLE "school_settings"`);
    await q.query(`DROP TABLE "school_calendar"`);
  }
}
