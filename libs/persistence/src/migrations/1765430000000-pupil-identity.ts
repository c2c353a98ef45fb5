import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The identity of a pupil (ADR 0017): (board, administration, local id), where the administration is the school's
 * BRIN unless the board declares one shared administration (`*`). Existing pupils become pupils of their
 * registered school and keep their pseudonym, so audit entries and access reports still find them.
 */
export class PupilIdentity1765430000000 implements MigrationInterface {
  name = 'PupilIdentity1765430000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "board_settings" (
      "board" text PRIMARY KEY,
      "shared_administration" boolean NOT NULL DEFAULT false,
      "updated_at" timestamptz NOT NULL,
      "updated_by" text NOT NULL
    )`);
    await q.query(`ALTER TABLE "pupil" ADD "administration" text`);
    await q.query(`UPDATE "pupil" SET "administration" = "school_brin"`);
    await q.query(`ALTER TABLE "pupil" ALTER COLUMN "administration" SET NOT NULL`);
    await q.query(`ALTER TABLE "pupil" DROP CONSTRAINT "pupil_pkey"`);
    await q.query(`ALTER TABLE "pupil" ADD PRIMARY KEY ("board", "administration", "local_id")`);
    // Lookups by number alone (a record without a school, an officer's access request).
    await q.query(`CREATE INDEX "pupil_local_id_idx" ON "pupil" ("board", "local_id")`);
  }

  async down(q: QueryRunner): Promise<void> {
    // Fails while two schools of one board have a pupil with the same number: they cannot be merged back.
    await q.query(`DROP INDEX "pupil_local_id_idx"`);
    await q.query(`ALTER TABLE "pupil" DROP CONSTRAINT "pupil_pkey"`);
    await q.query(`ALTER TABLE "pupil" ADD PRIMARY KEY ("board", "local_id")`);
    await q.query(`ALTER TABLE "pupil" DROP COLUMN "administration"`);
    await q.query(`DROP TABLE "board_settings"`);
  }
}
