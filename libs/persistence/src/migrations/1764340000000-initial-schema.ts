import type { MigrationInterface, QueryRunner } from 'typeorm';

export class InitialSchema1764340000000 implements MigrationInterface {
  name = 'InitialSchema1764340000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "record_batch" (
      "id" uuid PRIMARY KEY,
      "board" text NOT NULL,
      "schools" text[] NOT NULL,
      "status" text NOT NULL,
      "record_count" integer NOT NULL,
      "submitted_by" text NOT NULL,
      "received_at" timestamptz NOT NULL,
      "processed_at" timestamptz,
      "process_count" integer NOT NULL DEFAULT 0
    )`);
    await q.query(`CREATE INDEX "record_batch_board_idx" ON "record_batch" ("board", "received_at")`);
    await q.query(`CREATE TABLE "canonical_record" (
      "board" text NOT NULL,
      "record_id" text NOT NULL,
      "batch_id" uuid NOT NULL REFERENCES "record_batch" ("id"),
      "source_system" text NOT NULL,
      "pupil_local_id" text NOT NULL,
      "school_brin" text,
      "date" date NOT NULL,
      "category" text NOT NULL,
      "legal_class" text NOT NULL,
      "payload" jsonb NOT NULL,
      PRIMARY KEY ("board", "record_id")
    )`);
    await q.query(`CREATE INDEX "canonical_record_batch_idx" ON "canonical_record" ("batch_id")`);
    await q.query(`CREATE TABLE "outbox" (
      "id" bigserial PRIMARY KEY,
      "message_id" uuid NOT NULL UNIQUE,
      "type" text NOT NULL,
      "version" integer NOT NULL,
      "idempotency_key" text NOT NULL UNIQUE,
      "payload" jsonb NOT NULL,
      "occurred_at" timestamptz NOT NULL,
      "published_at" timestamptz,
      "claimed_by" text,
      "claimed_until" timestamptz,
      "attempts" integer NOT NULL DEFAULT 0,
      "last_error" text
    )`);
    await q.query(`CREATE INDEX "outbox_unpublished_idx" ON "outbox" ("id") WHERE "published_at" IS NULL`);
    await q.query(`CREATE TABLE "processed_message" (
      "consumer" text NOT NULL,
      "idempotency_key" text NOT NULL,
      "processed_at" timestamptz NOT NULL,
      PRIMARY KEY ("consumer", "idempotency_key")
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "processed_message"`);
    await q.query(`DROP TABLE "outbox"`);
    await q.query(`DROP TABLE "canonical_record"`);
    await q.query(`DROP TABLE "record_batch"`);
  }
}
