import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What configuration cannot know for the verwerkingsregister (ADR 0025): the school board's name and contact
 * details and how to reach its FG, filled in once by the privacy officer. One row per board.
 */
export class RegisterController1765520000001 implements MigrationInterface {
  name = 'RegisterController1765520000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "register_controller" (
      "board" text PRIMARY KEY,
      "name" text,
      "contact" text,
      "privacy_officer" text,
      "updated_by" text NOT NULL,
      "updated_at" timestamptz NOT NULL
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "register_controller"`);
  }
}
