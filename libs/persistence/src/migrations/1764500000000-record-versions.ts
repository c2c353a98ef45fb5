import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Versioned canonical records (ADR 0009): the current version per (board, record_id) with its content hash and
 * deleted flag, superseded versions in `canonical_record_version`; per-school lessons and bell schedules; what a
 * batch changed and the coverage it declared.
 */
export class RecordVersions1764500000000 implements MigrationInterface {
  name = 'RecordVersions1764500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "canonical_record"
      ADD "source_id" text,
      ADD "version" integer NOT NULL DEFAULT 1,
      ADD "content_hash" text NOT NULL DEFAULT '',
      ADD "deleted" boolean NOT NULL DEFAULT false`);
    await q.query(`UPDATE "canonical_record" SET "source_id" = "payload"->>'sourceId'`);
    await q.query(
      `CREATE INDEX "canonical_record_coverage_idx"
       ON "canonical_record" ("board", "school_brin", "source_system", "date")`,
    );
    await q.query(`CREATE TABLE "canonical_record_version" (
      "board" text NOT NULL,
      "record_id" text NOT NULL,
      "version" integer NOT NULL,
      "batch_id" uuid NOT NULL,
      "content_hash" text NOT NULL,
      "deleted" boolean NOT NULL,
      "payload" jsonb NOT NULL,
      "superseded_by_batch" uuid NOT NULL,
      PRIMARY KEY ("board", "record_id", "version")
    )`);
    await q.query(`ALTER TABLE "record_batch"
      ADD "created_count" integer,
      ADD "updated_count" integer,
      ADD "deleted_count" integer,
      ADD "unchanged_count" integer,
      ADD "coverage" jsonb`);
    await q.query(`CREATE TABLE "lesson" (
      "board" text NOT NULL,
      "school" text NOT NULL,
      "pupil" text NOT NULL,
      "lesson_id" text NOT NULL,
      "date" date NOT NULL,
      "source_system" text NOT NULL,
      "content_hash" text NOT NULL,
      "payload" jsonb NOT NULL,
      "batch_id" uuid NOT NULL,
      PRIMARY KEY ("board", "school", "pupil", "lesson_id")
    )`);
    await q.query(`CREATE INDEX "lesson_day_idx" ON "lesson" ("board", "school", "date")`);
    await q.query(`CREATE TABLE "bell_schedule" (
      "board" text NOT NULL,
      "school" text NOT NULL,
      "slots" jsonb NOT NULL,
      "updated_at" timestamptz NOT NULL,
      "updated_by" text NOT NULL,
      PRIMARY KEY ("board", "school")
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "bell_schedule"`);
    await q.query(`DROP TABLE "lesson"`);
    await q.query(`ALTER TABLE "record_batch"
      DROP COLUMN "coverage", DROP COLUMN "unchanged_count", DROP COLUMN "deleted_count",
      DROP COLUMN "updated_count", DROP COLUMN "created_count"`);
    await q.query(`DROP TABLE "canonical_record_version"`);
    await q.query(`DROP INDEX "canonical_record_coverage_idx"`);
    await q.query(`ALTER TABLE "canonical_record"
      DROP COLUMN "deleted", DROP COLUMN "content_hash", DROP COLUMN "version", DROP COLUMN "source_id"`);
  }
}
