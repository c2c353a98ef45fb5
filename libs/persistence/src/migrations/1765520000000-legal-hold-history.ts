import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The history of legal holds (issue 15 item 5): until now the pupil row held the current hold only, and the
 * audit chain says who and when but not why. Each placing and lifting becomes a row with its reason; holds in
 * place today become their first row. A pupil's rows go with the pupil's enrolment when retention deletes it.
 */
export class LegalHoldHistory1765520000000 implements MigrationInterface {
  name = 'LegalHoldHistory1765520000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "legal_hold_event" (
      "id" bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      "board" text NOT NULL,
      "administration" text NOT NULL,
      "local_id" text NOT NULL,
      "school_brin" text NOT NULL,
      "action" text NOT NULL CHECK ("action" IN ('SET', 'LIFTED')),
      "reason" text,
      "actor" text NOT NULL,
      "at" timestamptz NOT NULL
    )`);
    await q.query(
      `CREATE INDEX "legal_hold_event_board_idx" ON "legal_hold_event" ("board", "at" DESC, "id" DESC)`,
    );
    await q.query(
      `CREATE INDEX "legal_hold_event_pupil_idx" ON "legal_hold_event" ("board", "local_id", "administration")`,
    );
    await q.query(
      `INSERT INTO "legal_hold_event" ("board", "administration", "local_id", "school_brin", "action", "reason", "actor", "at")
       SELECT "board", "administration", "local_id", "school_brin", 'SET', "legal_hold_reason",
              coalesce("legal_hold_set_by", 'onbekend'), coalesce("legal_hold_at", "updated_at")
       FROM "pupil" WHERE "legal_hold"`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "legal_hold_event"`);
  }
}
