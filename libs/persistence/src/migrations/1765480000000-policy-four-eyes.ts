import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Four eyes on the policy lifecycle (ADR 0022): a draft is submitted for approval by its author and approved
 * or rejected (with a reason) by another privacy officer. Existing rows keep their status; a DRAFT may still be
 * approved directly (ADR 0012), so nothing stored before changes meaning.
 */
export class PolicyFourEyes1765480000000 implements MigrationInterface {
  name = 'PolicyFourEyes1765480000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE "privacy_policy_version" DROP CONSTRAINT IF EXISTS "privacy_policy_version_status_check"`,
    );
    await q.query(
      `ALTER TABLE "privacy_policy_version" ADD CONSTRAINT "privacy_policy_version_status_check"
         CHECK ("status" IN ('DRAFT', 'SUBMITTED', 'APPROVED', 'REJECTED'))`,
    );
    await q.query(`ALTER TABLE "privacy_policy_version" ADD "submitted_by" text`);
    await q.query(`ALTER TABLE "privacy_policy_version" ADD "submitted_at" timestamptz`);
    await q.query(`ALTER TABLE "privacy_policy_version" ADD "rejected_by" text`);
    await q.query(`ALTER TABLE "privacy_policy_version" ADD "rejected_at" timestamptz`);
    await q.query(`ALTER TABLE "privacy_policy_version" ADD "rejection_reason" text`);
    await q.query(
      `ALTER TABLE "privacy_policy_version" ADD CONSTRAINT "privacy_policy_version_rejection_check"
         CHECK (("status" = 'REJECTED') = ("rejected_by" IS NOT NULL AND "rejection_reason" IS NOT NULL)
           AND ("rejected_by" IS NULL OR "rejected_by" <> "created_by"))`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM "privacy_policy_version" WHERE "status" = 'REJECTED'`);
    await q.query(`UPDATE "privacy_policy_version" SET "status" = 'DRAFT' WHERE "status" = 'SUBMITTED'`);
    await q.query(
      `ALTER TABLE "privacy_policy_version" DROP CONSTRAINT "privacy_policy_version_rejection_check"`,
    );
    for (const column of ['submitted_by', 'submitted_at', 'rejected_by', 'rejected_at', 'rejection_reason']) {
      await q.query(`ALTER TABLE "privacy_policy_version" DROP COLUMN "${column}"`);
    }
    await q.query(
      `ALTER TABLE "privacy_policy_version" DROP CONSTRAINT "privacy_policy_version_status_check"`,
    );
    await q.query(
      `ALTER TABLE "privacy_policy_version" ADD CONSTRAINT "privacy_policy_version_status_check"
         CHECK ("status" IN ('DRAFT', 'APPROVED'))`,
    );
  }
}
