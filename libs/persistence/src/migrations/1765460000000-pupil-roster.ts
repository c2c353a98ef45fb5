import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Roster data of a pupil (ADR 0019): name, class/group and mentor from the school system's roster, on the
 * pupil's own row, so that they share its protection and its retention (deleting the row deletes them). The name
 * and the mentor are encrypted (AES-256-GCM, the pupil data key); the group name is not personal and stays
 * readable. `roster_name_tokens` holds keyed hashes (HMAC-SHA256) of the normalised name's token prefixes, the
 * only way to find a pupil by name without decrypting every row.
 */
export class PupilRoster1765460000000 implements MigrationInterface {
  name = 'PupilRoster1765460000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "pupil"
      ADD COLUMN "roster_name_encrypted" text,
      ADD COLUMN "roster_mentor_encrypted" text,
      ADD COLUMN "roster_group" text CHECK (char_length("roster_group") <= 100),
      ADD COLUMN "roster_name_tokens" text[] NOT NULL DEFAULT '{}',
      ADD COLUMN "roster_source" text,
      ADD COLUMN "roster_updated_at" timestamptz`);
    await q.query(`CREATE INDEX "pupil_roster_tokens_idx" ON "pupil" USING gin ("roster_name_tokens")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "pupil_roster_tokens_idx"`);
    await q.query(`ALTER TABLE "pupil" DROP COLUMN "roster_name_encrypted", DROP COLUMN "roster_mentor_encrypted",
      DROP COLUMN "roster_group", DROP COLUMN "roster_name_tokens", DROP COLUMN "roster_source",
      DROP COLUMN "roster_updated_at"`);
  }
}
