import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The exhaustive proof stored with each policy version (ADR 0012). Versions stored before have none (NULL):
 * they are proven before they can decide anything, and one that fails never decides.
 */
export class PolicyProof1765400000000 implements MigrationInterface {
  name = 'PolicyProof1765400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "privacy_policy_version" ADD "proof" jsonb`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "privacy_policy_version" DROP COLUMN "proof"`);
  }
}
