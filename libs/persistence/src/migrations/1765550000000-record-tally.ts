import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * How many live records a board holds per school, kept as it changes (issue 12, load held): the chain summary
 * (`GET /v1/chain/summary`, the console's start page) counted `canonical_record` on every request, a scan that
 * grows with the board (1.1 s for 380,000 records) and held up every reader while a school sent its day.
 *
 * Statement-level triggers add one delta row per school and statement (insert, upsert, soft delete, retention's
 * delete, COPY) to `record_tally`; concurrent batches of one school never wait on each other, as they would on one
 * counter row. The summary adds a board's deltas and folds them into one row per school now and then
 * (`TypeOrmBoardSummary`). A record without a school counts under ''.
 */
export class RecordTally1765550000000 implements MigrationInterface {
  name = 'RecordTally1765550000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "record_tally" (
      "board" text NOT NULL,
      "school_brin" text NOT NULL,
      "n" bigint NOT NULL
    )`);
    await q.query(`CREATE INDEX "record_tally_board_idx" ON "record_tally" ("board", "school_brin")`);
    await q.query(`CREATE FUNCTION "record_tally_added"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO record_tally (board, school_brin, n)
        SELECT board, coalesce(school_brin, ''), count(*) FROM added WHERE NOT deleted GROUP BY 1, 2;
        RETURN NULL;
      END $$`);
    await q.query(`CREATE FUNCTION "record_tally_removed"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO record_tally (board, school_brin, n)
        SELECT board, coalesce(school_brin, ''), -count(*) FROM removed WHERE NOT deleted GROUP BY 1, 2;
        RETURN NULL;
      END $$`);
    await q.query(`CREATE FUNCTION "record_tally_changed"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO record_tally (board, school_brin, n)
        SELECT board, school, sum(d) FROM (
          SELECT board, coalesce(school_brin, '') AS school, 1 AS d FROM added WHERE NOT deleted
          UNION ALL
          SELECT board, coalesce(school_brin, ''), -1 FROM removed WHERE NOT deleted
        ) c GROUP BY 1, 2 HAVING sum(d) <> 0;
        RETURN NULL;
      END $$`);
    await q.query(`CREATE TRIGGER "record_tally_insert" AFTER INSERT ON "canonical_record"
      REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION "record_tally_added"()`);
    await q.query(`CREATE TRIGGER "record_tally_update" AFTER UPDATE ON "canonical_record"
      REFERENCING OLD TABLE AS removed NEW TABLE AS added FOR EACH STATEMENT
      EXECUTE FUNCTION "record_tally_changed"()`);
    await q.query(`CREATE TRIGGER "record_tally_delete" AFTER DELETE ON "canonical_record"
      REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION "record_tally_removed"()`);
    await q.query(`INSERT INTO "record_tally" ("board", "school_brin", "n")
      SELECT "board", coalesce("school_brin", ''), count(*) FROM "canonical_record" WHERE NOT "deleted" GROUP BY 1, 2`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER "record_tally_delete" ON "canonical_record"`);
    await q.query(`DROP TRIGGER "record_tally_update" ON "canonical_record"`);
    await q.query(`DROP TRIGGER "record_tally_insert" ON "canonical_record"`);
    await q.query(`DROP FUNCTION "record_tally_changed"()`);
    await q.query(`DROP FUNCTION "record_tally_removed"()`);
    await q.query(`DROP FUNCTION "record_tally_added"()`);
    await q.query(`DROP TABLE "record_tally"`);
  }
}
