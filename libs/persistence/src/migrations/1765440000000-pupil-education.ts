import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The pupil's enrolment facts DUO's report carries (docs/duo-rod-message.md): leerjaar (vo, 1..6), niveau (mbo,
 * 1..4) and leerweg, from the school system's pupil data. Under the same protection and retention as the rest
 * of the pupil's row; nullable, since many sources do not hold them.
 */
export class PupilEducation1765440000000 implements MigrationInterface {
  name = 'PupilEducation1765440000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "pupil"
      ADD COLUMN "leerjaar" smallint CHECK ("leerjaar" BETWEEN 1 AND 6),
      ADD COLUMN "niveau" smallint CHECK ("niveau" BETWEEN 1 AND 4),
      ADD COLUMN "leerweg" text CHECK ("leerweg" IN ('BOL', 'BBL', 'BB', 'KB', 'GL', 'TL'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "pupil" DROP COLUMN "leerjaar", DROP COLUMN "niveau", DROP COLUMN "leerweg"`);
  }
}
