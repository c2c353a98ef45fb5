import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { type Actor, FixedClock } from '#domain';
import { type DataSource, TypeOrmReportCaseStore, openDatabase } from '#persistence';
import { createTestDatabase, type TestDatabase } from '#testing';
import { WorklistUseCase } from './worklist.usecase.js';

const SCHOOLS = ['99XX', '99XY'];
const PUPILS = ['1', '2', '3', '4'];
const clock = new FixedClock(new Date('2026-12-05T10:00:00Z'));

/** What changes the werkvoorraad's data: a new report, a status change, an end date, a deletion (retention). */
type Step =
  | { op: 'insert'; school: number; pupil: number; week: number; status: 'DRAFT' | 'SENT'; lag: number }
  | { op: 'status'; pick: number; status: 'DRAFT' | 'APPROVED' | 'DISMISSED'; lag: number }
  | { op: 'end'; pick: number; lag: number }
  | { op: 'delete'; pick: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    op: fc.constant('insert' as const),
    school: fc.nat({ max: SCHOOLS.length - 1 }),
    pupil: fc.nat({ max: PUPILS.length - 1 }),
    week: fc.nat({ max: 20 }),
    status: fc.constantFrom('DRAFT' as const, 'SENT' as const),
    // Seconds the writer's clock is behind: 0 mostly, sometimes far (an instance whose clock lags, a late commit).
    lag: fc.oneof(fc.constant(0), fc.constant(0), fc.integer({ min: 1, max: 3600 })),
  }),
  fc.record({
    op: fc.constant('status' as const),
    pick: fc.nat(),
    status: fc.constantFrom('DRAFT' as const, 'APPROVED' as const, 'DISMISSED' as const),
    lag: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 3600 })),
  }),
  fc.record({ op: fc.constant('end' as const), pick: fc.nat(), lag: fc.constant(0) }),
  fc.record({ op: fc.constant('delete' as const), pick: fc.nat() }),
);

/**
 * The werkvoorraad regroups only the pupils changed since it last grouped a scope (ADR 0018). Whatever changes —
 * in whatever order, with writers' clocks behind, rows deleted — its answer must equal a fresh grouping of the
 * whole scope; on PGlite by default and PostgreSQL when DATABASE_URL is set.
 */
describe('the werkvoorraad regroups only changed pupils, and answers as a whole regrouping would', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let store: TypeOrmReportCaseStore;

  beforeAll(async () => {
    database = await createTestDatabase();
    dataSource = await openDatabase({ url: database.url, poolSize: 2 });
    store = new TypeOrmReportCaseStore(dataSource);
  });
  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  const insert = async (board: string, s: Extract<Step, { op: 'insert' }>): Promise<void> => {
    const begin = new Date(Date.UTC(2026, 8, 7 + s.week * 7));
    const end = new Date(begin.getTime() + 4 * 86_400_000);
    const at = new Date(Date.now() - s.lag * 1000);
    await dataSource.query(
      `INSERT INTO report (id, board, school, pupil_local_id, signal_id, rule, kind, status, action, mandatory,
         deadline, fields, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, 'LPW_16H_4W', '16U_MINDERJARIG', $6, 'REPORT', true, $7, $8::jsonb, $9, $9)`,
      [
        randomUUID(),
        board,
        SCHOOLS[s.school],
        PUPILS[s.pupil],
        `sig-${randomUUID()}`,
        s.status,
        end.toISOString().slice(0, 10),
        JSON.stringify({
          'absence.beginDate': begin.toISOString().slice(0, 10),
          'absence.endDate': end.toISOString().slice(0, 10),
        }),
        at,
      ],
    );
  };

  const picked = async (board: string, pick: number) => {
    const rows: { id: string; school: string; pupil_local_id: string; begin: string }[] =
      await dataSource.query(
        `SELECT id::text AS id, school, pupil_local_id, fields->>'absence.beginDate' AS begin
       FROM report WHERE board = $1 ORDER BY id`,
        [board],
      );
    return rows.length === 0 ? null : rows[pick % rows.length];
  };

  const apply = async (board: string, s: Step): Promise<void> => {
    if (s.op === 'insert') return insert(board, s);
    const row = await picked(board, s.pick);
    if (row === null) return;
    if (s.op === 'delete') {
      await dataSource.query(`DELETE FROM report WHERE id = $1::uuid`, [row.id]);
    } else if (s.op === 'status') {
      await dataSource.query(`UPDATE report SET status = $2, updated_at = $3 WHERE id = $1::uuid`, [
        row.id,
        s.status,
        new Date(Date.now() - s.lag * 1000),
      ]);
    } else {
      await store.saveEnding(
        board,
        { caseId: row.id, school: row.school, localId: row.pupil_local_id, endDate: row.begin },
        'staff',
        new Date(),
      );
    }
  };

  it('equals a fresh grouping after every change, and regroups in part when it can', async () => {
    let partial = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(step, { minLength: 3, maxLength: 12 }),
        fc.constantFrom<readonly string[] | null>(null, ['99XX']),
        async (steps, schools) => {
          const board = `B-${randomUUID().slice(0, 8)}`;
          const staff: Actor = { role: 'school_staff', subject: 's', board, schools: SCHOOLS };
          const query = schools === null ? { pageSize: 100 } : { pageSize: 100, school: schools[0] };
          const kept = new WorklistUseCase(store, clock);
          for (const s of steps) {
            await apply(board, s);
            const answer = await kept.execute(staff, query);
            const fresh = await new WorklistUseCase(store, clock).execute(staff, query);
            expect(answer).toEqual(fresh);
          }
          partial += kept.groupings.partial;
        },
      ),
      { numRuns: 25 },
    );
    assert.ok(partial > 0, 'some changes were regrouped in part');
  });

  it('reads a scope once, then only the changed pupil after a change', async () => {
    const board = `B-${randomUUID().slice(0, 8)}`;
    const staff: Actor = { role: 'school_staff', subject: 's', board, schools: SCHOOLS };
    for (const [pupil, week] of [
      [0, 1],
      [1, 2],
      [2, 3],
    ] as const) {
      await insert(board, { op: 'insert', school: 0, pupil, week, status: 'DRAFT', lag: 0 });
    }
    const useCase = new WorklistUseCase(store, clock);
    assert.equal((await useCase.execute(staff, {})).total, 3);
    assert.equal((await useCase.execute(staff, { page: 1 })).total, 3);
    expect(useCase.groupings).toEqual({ kept: 1, partial: 0, whole: 1 });
    await insert(board, { op: 'insert', school: 1, pupil: 3, week: 4, status: 'DRAFT', lag: 0 });
    assert.equal((await useCase.execute(staff, {})).total, 4);
    expect(useCase.groupings).toEqual({ kept: 1, partial: 1, whole: 1 });
    // A deletion is not found by its time: the pupils' parts do not add up, and the whole scope is regrouped.
    const row = await picked(board, 0);
    await dataSource.query(`DELETE FROM report WHERE id = $1::uuid`, [row!.id]);
    assert.equal((await useCase.execute(staff, {})).total, 3);
    expect(useCase.groupings).toEqual({ kept: 1, partial: 1, whole: 2 });
  });
});
