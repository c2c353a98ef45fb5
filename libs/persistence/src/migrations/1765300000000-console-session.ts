import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Console sessions (ADR 0016): server-side, keyed by the hash of the cookie token, shared by every replica. */
export class ConsoleSession1765300000000 implements MigrationInterface {
  name = 'ConsoleSession1765300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "console_session" (
      "id" text PRIMARY KEY,
      "kind" text NOT NULL,
      "data" jsonb NOT NULL,
      "created_at" timestamptz NOT NULL,
      "expires_at" timestamptz NOT NULL
    )`);
    await q.query(`CREATE INDEX "console_session_expires_idx" ON "console_session" ("expires_at")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "console_session"`);
  }
}
