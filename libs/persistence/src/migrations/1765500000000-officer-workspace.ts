import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The officer's workspace (ADR 0023): the few routing fields kept in clear beside the inbox's ciphertext, so
 * the inbox can be listed and filtered without decrypting, and the officer's case notes (decision + notes),
 * stored only as a JWE the officer's browser encrypted to the municipality's key.
 */
export class OfficerWorkspace1765500000000 implements MigrationInterface {
  name = 'OfficerWorkspace1765500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "leerplicht_inbox"
      ADD COLUMN "operation" text,
      ADD COLUMN "kind" text,
      ADD COLUMN "school" text,
      ADD COLUMN "location_name" text,
      ADD COLUMN "period_begin" date,
      ADD COLUMN "period_end" date,
      ADD COLUMN "age_group" text`);
    await q.query(
      `CREATE INDEX "leerplicht_inbox_report_idx" ON "leerplicht_inbox" ("gemeentecode", "report_id")`,
    );
    await q.query(`CREATE TABLE "leerplicht_case_note" (
      "id" bigserial PRIMARY KEY,
      "gemeentecode" text NOT NULL,
      "report_id" uuid NOT NULL,
      "jwe" text NOT NULL,
      "officer" text NOT NULL,
      "created_at" timestamptz NOT NULL
    )`);
    await q.query(
      `CREATE INDEX "leerplicht_case_note_report_idx" ON "leerplicht_case_note" ("gemeentecode", "report_id", "id")`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "leerplicht_case_note"`);
    await q.query(`DROP INDEX "leerplicht_inbox_report_idx"`);
    await q.query(`ALTER TABLE "leerplicht_inbox" DROP COLUMN "operation", DROP COLUMN "kind", DROP COLUMN "school",
      DROP COLUMN "location_name", DROP COLUMN "period_begin", DROP COLUMN "period_end", DROP COLUMN "age_group"`);
  }
}
