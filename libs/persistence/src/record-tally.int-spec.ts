import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import fc from 'fast-check';
import { createTestDatabase, type TestDatabase } from '#testing';
import { type DataSource, TypeOrmBoardSummary, openDatabase } from './index.js';

const SCHOOLS = ['99XX', '99XY', null] as const;

/** What changes the live records: the writer's upsert (new or revived), its soft delete, retention's delete, a move. */
type Step =
  | { op: 'upsert'; ids: number[]; school: number }
  | { op: 'softDelete'; ids: number[] }
  | { op: 'delete'; ids: number[] }
  | { op: 'move'; ids: number[]; school: number }
  | { op: 'summary' };

const ids = fc.uniqueArray(fc.nat({ max: 40 }), { minLength: 1, maxLength: 12 });
const school = fc.nat({ max: SCHOOLS.length - 1 });
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ op: fc.constant('upsert' as const), ids, school }),
  fc.record({ op: fc.constant('softDelete' as const), ids }),
  fc.record({ op: fc.constant('delete' as const), ids }),
  fc.record({ op: fc.constant('move' as const), ids, school }),
  fc.record({ op: fc.constant('summary' as const) }),
);

/**
 * The chain summary counts a board's live records from the tally its triggers keep (migration 1765550000000),
 * not by scanning them. Whatever statements change the records, in whatever order, with folds in between, the
 * tally must equal a count of the records themselves — for the board and for each school's scope; on PGlite by
 * default and PostgreSQL when DATABASE_URL is set.
 */
describe('the record tally counts what a scan of the records counts', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let summary: TypeOrmBoardSummary;

  beforeAll(async () => {
    database = await createTestDatabase();
    dataSource = await openDatabase({ url: database.url, poolSize: 2 });
    summary = new TypeOrmBoardSummary(dataSource, 3);
  });
  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  it('after any sequence of upserts, soft and hard deletes and moves between schools', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 25 }), async (steps) => {
        const { board, batch } = await newBoard(dataSource);
        for (const s of steps) await apply(dataSource, board, batch, s, summary);
        for (const scope of [null, ['99XX'], ['99XY'], ['99XX', '99XY']]) {
          const counted: { n: string }[] = await dataSource.query(
            `SELECT count(*) AS n FROM canonical_record WHERE board = $1 AND NOT deleted
               AND ($2::text[] IS NULL OR school_brin = ANY($2::text[]))`,
            [board, scope],
          );
          const { records } = await summary.summary(board, scope);
          assert.equal(records, Number(counted[0]?.n), `scope ${JSON.stringify(scope)}`);
        }
      }),
      { numRuns: 40 },
    );
  });

  it('folds its deltas into one row per school once there are more than the limit', async () => {
    const { board, batch } = await newBoard(dataSource);
    for (let i = 0; i < 6; i++)
      await apply(dataSource, board, batch, { op: 'upsert', ids: [i], school: i % 2 });
    const rows = async (): Promise<number> => {
      const found = await dataSource.query<{ n: string }[]>(
        `SELECT count(*) AS n FROM record_tally WHERE board = $1`,
        [board],
      );
      return Number(found[0]?.n);
    };
    assert.equal(await rows(), 6);
    assert.equal((await summary.summary(board)).records, 6);
    assert.equal(await rows(), 2, 'one row per school after the fold');
    assert.equal((await summary.summary(board)).records, 6);
  });
});

/** A board of its own for one case, with the batch its records point at. */
async function newBoard(dataSource: DataSource): Promise<{ board: string; batch: string }> {
  const board = `BOARD-TALLY-${randomUUID().slice(0, 8)}`;
  const batch = randomUUID();
  await dataSource.query(
    `INSERT INTO record_batch (id, board, schools, status, record_count, submitted_by, received_at)
     VALUES ($1, $2, '{}', 'PROCESSED', 0, 'spec', now())`,
    [batch, board],
  );
  return { board, batch };
}

async function apply(
  dataSource: DataSource,
  board: string,
  batch: string,
  s: Step,
  summary?: TypeOrmBoardSummary,
): Promise<void> {
  const recordIds = 'ids' in s ? s.ids.map((i) => `r${i}`) : [];
  if (s.op === 'upsert') {
    // As the writer's upsert: new rows, and rows that existed (deleted or not) revived and moved.
    await dataSource.query(
      `INSERT INTO canonical_record (board, record_id, batch_id, source_system, source_record_type, pupil_local_id,
         has_school, school_brin, date, whole_day, category, legal_class, registered_via, mapping_source, version,
         content_hash, deleted)
       SELECT $1, id, $2, 'somtoday', 'absentiemelding', 'p1', true, $3, DATE '2026-12-01', true, 12, 2, 0, 0, 1, 'h',
         false
       FROM unnest($4::text[]) AS id
       ON CONFLICT (board, record_id) DO UPDATE SET school_brin = excluded.school_brin, deleted = false,
         version = canonical_record.version + 1`,
      [board, batch, SCHOOLS[s.school], recordIds],
    );
  } else if (s.op === 'softDelete') {
    await dataSource.query(
      `UPDATE canonical_record SET deleted = true WHERE board = $1 AND record_id = ANY($2::text[])`,
      [board, recordIds],
    );
  } else if (s.op === 'delete') {
    await dataSource.query(`DELETE FROM canonical_record WHERE board = $1 AND record_id = ANY($2::text[])`, [
      board,
      recordIds,
    ]);
  } else if (s.op === 'move') {
    await dataSource.query(
      `UPDATE canonical_record SET school_brin = $3 WHERE board = $1 AND record_id = ANY($2::text[])`,
      [board, recordIds, SCHOOLS[s.school]],
    );
  } else if (summary) {
    await summary.summary(board);
  }
}
