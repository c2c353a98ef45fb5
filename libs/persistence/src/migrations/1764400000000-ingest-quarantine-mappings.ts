import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Raw ingest: quarantine kept with its batch, and per-school reason mappings. */
export class IngestQuarantineMappings1764400000000 implements MigrationInterface {
  name = 'IngestQuarantineMappings1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "record_batch" ADD "quarantined_count" integer NOT NULL DEFAULT 0`);
    await q.query(`ALTER TABLE "record_batch" ADD "source_system" text`);
    await q.query(`CREATE TABLE "quarantined_input" (
      "id" bigserial PRIMARY KEY,
      "board" text NOT NULL,
      "school" text,
      "batch_id" uuid NOT NULL REFERENCES "record_batch" ("id"),
      "source_system" text NOT NULL,
      "source_id" text,
      "reason" text NOT NULL,
      "detail" text NOT NULL,
      "raw" jsonb,
      "received_at" timestamptz NOT NULL,
      "resolved_at" timestamptz,
      "resolved_by_batch" uuid REFERENCES "record_batch" ("id")
    )`);
    await q.query(
      `CREATE INDEX "quarantined_input_open_idx" ON "quarantined_input" ("board", "source_system", "reason")
       WHERE "resolved_at" IS NULL`,
    );
    await q.query(`CREATE TABLE "reason_mapping" (
      "board" text NOT NULL,
      "school" text NOT NULL,
      "system" text NOT NULL,
      "version" text NOT NULL,
      "mapping" jsonb NOT NULL,
      "created_at" timestamptz NOT NULL,
      "created_by" text NOT NULL,
      PRIMARY KEY ("board", "school", "system", "version")
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "reason_mapping"`);
    await q.query(`DROP TABLE "quarantined_input"`);
    await q.query(`ALTER TABLE "record_batch" DROP COLUMN "source_system"`);
    await q.query(`ALTER TABLE "record_batch" DROP COLUMN "quarantined_count"`);
  }
}
