import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The stateful half of the privacy engine: audit chain, pupil registry, policy versions, disclosure requests. */
export class PrivacyStore1764600000000 implements MigrationInterface {
  name = 'PrivacyStore1764600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "audit_log" (
      "seq" bigint PRIMARY KEY,
      "at" timestamptz NOT NULL,
      "board" text NOT NULL,
      "kind" text NOT NULL,
      "entry" jsonb NOT NULL,
      "prev_hash" text NOT NULL,
      "hash" text NOT NULL
    )`);
    await q.query(
      `CREATE INDEX "audit_log_pupil_idx" ON "audit_log" ("board", ("entry"->>'pupil'), "seq")
       WHERE "entry" ? 'pupil'`,
    );
    // One row: the last seq and hash. Appends lock it (FOR UPDATE), so the chain never forks, and a deleted
    // last entry shows as a chain that ends before its head.
    await q.query(`CREATE TABLE "audit_chain_head" (
      "id" smallint PRIMARY KEY CHECK ("id" = 1),
      "seq" bigint NOT NULL,
      "hash" text NOT NULL
    )`);
    await q.query(`INSERT INTO "audit_chain_head" ("id", "seq", "hash") VALUES (1, 0, '${'0'.repeat(64)}')`);
    await q.query(`CREATE TABLE "pupil" (
      "board" text NOT NULL,
      "local_id" text NOT NULL,
      "pseudonym" text NOT NULL,
      "school_brin" text NOT NULL,
      "birth_date" date NOT NULL,
      "sector" text NOT NULL,
      "startkwalificatie" boolean,
      "woongemeente" text,
      "enrolled_from" date NOT NULL,
      "left_on" date,
      "bsn_encrypted" text,
      "legal_hold" boolean NOT NULL DEFAULT false,
      "legal_hold_reason" text,
      "legal_hold_set_by" text,
      "legal_hold_at" timestamptz,
      "created_at" timestamptz NOT NULL,
      "updated_at" timestamptz NOT NULL,
      PRIMARY KEY ("board", "local_id")
    )`);
    await q.query(
      `CREATE INDEX "pupil_left_idx" ON "pupil" ("board", "left_on") WHERE "left_on" IS NOT NULL`,
    );
    await q.query(
      `CREATE INDEX "canonical_record_pupil_idx" ON "canonical_record" ("board", "pupil_local_id")`,
    );
    // Filled by ingest when the pupil is known; unlinked items expire on their own period.
    await q.query(`ALTER TABLE "quarantined_input" ADD "pupil_local_id" text`);
    await q.query(
      `CREATE INDEX "quarantined_input_pupil_idx" ON "quarantined_input" ("board", "pupil_local_id")`,
    );
    await q.query(`CREATE TABLE "privacy_policy_version" (
      "board" text NOT NULL,
      "policy_id" text NOT NULL,
      "version" text NOT NULL,
      "text" text NOT NULL,
      "status" text NOT NULL CHECK ("status" IN ('DRAFT', 'APPROVED')),
      "effective_from" date NOT NULL,
      "effective_until" date,
      "created_by" text NOT NULL,
      "created_at" timestamptz NOT NULL,
      "approved_by" text,
      "approved_at" timestamptz,
      PRIMARY KEY ("board", "policy_id", "version"),
      CHECK ("approved_by" IS NULL OR "approved_by" <> "created_by")
    )`);
    await q.query(`CREATE TABLE "disclosure_request" (
      "id" uuid PRIMARY KEY,
      "board" text NOT NULL,
      "pupil_pseudonym" text NOT NULL,
      "recorded_at" timestamptz NOT NULL,
      "recipient_kind" text NOT NULL,
      "request" jsonb NOT NULL,
      "decision" jsonb NOT NULL,
      "sent" boolean NOT NULL
    )`);
    await q.query(
      `CREATE INDEX "disclosure_request_recorded_idx" ON "disclosure_request" ("board", "recorded_at")`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "disclosure_request"`);
    await q.query(`DROP TABLE "privacy_policy_version"`);
    await q.query(`DROP INDEX "quarantined_input_pupil_idx"`);
    await q.query(`ALTER TABLE "quarantined_input" DROP COLUMN "pupil_local_id"`);
    await q.query(`DROP INDEX "canonical_record_pupil_idx"`);
    await q.query(`DROP TABLE "pupil"`);
    await q.query(`DROP TABLE "audit_chain_head"`);
    await q.query(`DROP TABLE "audit_log"`);
  }
}
