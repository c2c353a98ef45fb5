import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The delivery side (ADR 0011): one delivery per report and destination with its attempts, the report's
 * status history as the school sees it, where each status feed left off, the leerplicht inbox, and the chain's
 * answer on the report itself (DUO's number, the municipality's closing reason).
 */
export class Delivery1764800000000 implements MigrationInterface {
  name = 'Delivery1764800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "report_delivery" (
      "id" uuid PRIMARY KEY,
      "board" text NOT NULL,
      "school" text NOT NULL,
      "report_id" uuid NOT NULL,
      "destination" text NOT NULL CHECK ("destination" IN ('DUO', 'LEERPLICHT')),
      "operation" text NOT NULL CHECK ("operation" IN ('REGISTER', 'UPDATE', 'WITHDRAW')),
      "recipient_kind" text NOT NULL,
      "recipient_id" text NOT NULL,
      "idempotency_key" text NOT NULL UNIQUE,
      "status" text NOT NULL CHECK ("status" IN
        ('PENDING', 'SENDING', 'RETRY_WAIT', 'DELIVERED', 'REJECTED', 'DEAD', 'SKIPPED')),
      "attempts" integer NOT NULL DEFAULT 0,
      "next_attempt_at" timestamptz,
      "lease_until" timestamptz,
      "external_ref" text,
      "last_error_code" text,
      "last_error_reason" text,
      "created_at" timestamptz NOT NULL,
      "updated_at" timestamptz NOT NULL,
      "delivered_at" timestamptz
    )`);
    await q.query(`CREATE INDEX "report_delivery_report_idx" ON "report_delivery" ("board", "report_id")`);
    await q.query(
      `CREATE INDEX "report_delivery_due_idx" ON "report_delivery" ("next_attempt_at")
       WHERE "status" IN ('PENDING', 'SENDING', 'RETRY_WAIT')`,
    );
    await q.query(
      `CREATE INDEX "report_delivery_queue_idx" ON "report_delivery" ("board", "status", "school")`,
    );
    // Not unique: a number is DUO's, and a test or acceptance environment of DUO may hand out one we saw before.
    await q.query(
      `CREATE INDEX "report_delivery_external_ref_idx" ON "report_delivery" ("destination", "external_ref")
       WHERE "external_ref" IS NOT NULL AND "operation" = 'REGISTER'`,
    );
    await q.query(`CREATE TABLE "report_status_history" (
      "id" bigserial PRIMARY KEY,
      "board" text NOT NULL,
      "report_id" uuid NOT NULL,
      "status" text NOT NULL,
      "source" text NOT NULL,
      "closing_reason" text,
      "closing_explanation" text,
      "contact" text,
      "detail" text,
      "at" timestamptz NOT NULL
    )`);
    await q.query(
      `CREATE INDEX "report_status_history_report_idx" ON "report_status_history" ("board", "report_id", "id")`,
    );
    await q.query(`CREATE TABLE "connector_cursor" (
      "name" text PRIMARY KEY,
      "at" timestamptz NOT NULL
    )`);
    await q.query(`CREATE TABLE "leerplicht_inbox" (
      "id" bigserial PRIMARY KEY,
      "gemeentecode" text NOT NULL,
      "board" text NOT NULL,
      "report_id" uuid NOT NULL,
      "idempotency_key" text NOT NULL UNIQUE,
      "jwe" text NOT NULL,
      "stored_at" timestamptz NOT NULL
    )`);
    await q.query(`CREATE INDEX "leerplicht_inbox_code_idx" ON "leerplicht_inbox" ("gemeentecode", "id")`);
    await q.query(`ALTER TABLE "report_draft"
      ADD COLUMN "external_ref" text,
      ADD COLUMN "closing_reason" text,
      ADD COLUMN "closing_explanation" text,
      ADD COLUMN "municipal_contact" text,
      ADD COLUMN "status_at" timestamptz`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "report_draft" DROP COLUMN "external_ref", DROP COLUMN "closing_reason",
      DROP COLUMN "closing_explanation", DROP COLUMN "municipal_contact", DROP COLUMN "status_at"`);
    await q.query(`DROP TABLE "leerplicht_inbox"`);
    await q.query(`DROP TABLE "connector_cursor"`);
    await q.query(`DROP TABLE "report_status_history"`);
    await q.query(`DROP TABLE "report_delivery"`);
  }
}
