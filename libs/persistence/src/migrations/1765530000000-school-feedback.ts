import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The municipality's feedback passes the privacy engine (ADR 0026): a status row from the chain records the
 * `feedback.*` paths released to the school; the school's view shows only those. NULL: ketenpoort's own rows and
 * rows written before, shown to the school as they were.
 */
export class SchoolFeedback1765530000000 implements MigrationInterface {
  name = 'SchoolFeedback1765530000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "report_status_history" ADD COLUMN "school_fields" text[]`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "report_status_history" DROP COLUMN "school_fields"`);
  }
}
