import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The indexes of `canonical_record`, each checked with EXPLAIN (ANALYZE) on a board of 3 million records (issue 18;
 * the list with its queries is in docs/operations.md, "The record store's indexes"). One served no query on its
 * own: `canonical_record_coverage_idx` (board, school, source system, date) overlaps
 * `canonical_record_school_date_idx` (board, school, date) WHERE NOT deleted, and the only query that used it —
 * the ingest's "records the payload lacks" within a coverage, which asks for current records only — runs on the
 * partial index with the source system as a filter (a school-day of 10,000 pupils: 3.9 ms instead of 2.5 ms; with a
 * pupil it takes the pupil index), while every insert paid for it (100,000 records: 2.13 s with it, 1.80 s
 * without). Dropped. Each index that stays carries the
 * query it serves as its comment, so that `\di+` in psql says why it is there.
 */
export class RecordIndexInventory1765590000000 implements MigrationInterface {
  name = 'RecordIndexInventory1765590000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "canonical_record_coverage_idx"`);
    for (const [index, serves] of INDEX_COMMENTS) {
      await q.query(`COMMENT ON INDEX "${index}" IS '${serves.replace(/'/g, "''")}'`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const [index] of INDEX_COMMENTS) await q.query(`COMMENT ON INDEX "${index}" IS NULL`);
    await q.query(
      `CREATE INDEX "canonical_record_coverage_idx"
       ON "canonical_record" ("board", "school_brin", "source_system", "date")`,
    );
  }
}

/** Each index of `canonical_record` and the queries it serves (docs/operations.md lists the same). */
export const INDEX_COMMENTS: readonly (readonly [string, string])[] = [
  [
    'canonical_record_pkey',
    'ingest: current version of each staged record (upsert, versions); signals: pupils of changed record ids',
  ],
  [
    'canonical_record_pupil_idx',
    "signals: a pupil's current records (window); access report; retention per pupil; retention forecast",
  ],
  [
    'canonical_record_school_date_idx',
    'analysis per school and period; ingest: current records of a coverage that the payload lacks',
  ],
  ['canonical_record_batch_idx', 'retention: record batches no record refers to any more'],
];
