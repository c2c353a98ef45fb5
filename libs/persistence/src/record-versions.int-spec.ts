import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import {
  type BatchChanges,
  type BoardScope,
  type CanonicalRecord,
  type CanonicalRecordsChangedV1,
  type FinishBatch,
  type Lesson,
  type QuarantinedInput,
  type RecordCoverage,
} from '#domain';
import { aCanonicalRecord, createTestDatabase, type TestDatabase } from '#testing';
import { openDatabase } from './data-source.js';
import { TypeOrmRecordBatchRepository } from './repositories/record-batch.repository.js';
import { TypeOrmTimetableRepository } from './repositories/timetable.repository.js';

/** Records of one pupil on consecutive days of January 2026. */
function records(count: number, pupil = 'p-1', prefix = 'r'): CanonicalRecord[] {
  return Array.from({ length: count }, (_, i) =>
    aCanonicalRecord({
      recordId: `${prefix}-${pupil}-${i}`,
      sourceId: `${prefix}${pupil}${i}`,
      pupil: { localId: pupil },
      date: `2026-01-${String(i + 5).padStart(2, '0')}`,
      start: null,
      end: null,
      missedMinutes: null,
    }),
  );
}

// Each case once with the default part (the whole batch applied at the end) and once applied per part of 3
// records while the next slices are staged (ADR 0033, decision 6): the outcome must be the same.
describe.each([
  { parts: 'one part', applyPart: undefined },
  { parts: 'parts of 3', applyPart: 3 },
])(
  'versioned canonical records, $parts (PGlite by default, PostgreSQL when DATABASE_URL is set)',
  ({ applyPart }) => {
    let database: TestDatabase;
    let dataSource: DataSource;
    let batches: TypeOrmRecordBatchRepository;
    let board: string;
    let scope: BoardScope;

    beforeAll(async () => {
      database = await createTestDatabase();
      dataSource = await openDatabase({ url: database.url, poolSize: 4 });
      batches = new TypeOrmRecordBatchRepository(dataSource, { applyPart });
    });

    afterAll(async () => {
      await dataSource?.destroy();
      await database?.drop();
    });

    const fresh = () => {
      board = `B-${randomUUID().slice(0, 8)}`;
      scope = { board, schools: null };
    };

    async function ingest(
      rows: readonly CanonicalRecord[],
      coverage: RecordCoverage | null = null,
      extra: Partial<FinishBatch> & { lessons?: readonly Lesson[]; slice?: number } = {},
    ): Promise<{ id: string; changes: BatchChanges }> {
      const id = randomUUID();
      const writer = await batches.beginBatch(scope, {
        id,
        submittedBy: 'tester',
        receivedAt: new Date(),
        school: '99XX',
        sourceSystem: 'magister',
      });
      const slice = extra.slice ?? 2;
      for (let i = 0; i < rows.length; i += slice) await writer.appendRecords(rows.slice(i, i + slice));
      if (extra.lessons) await writer.appendLessons('99XX', extra.lessons);
      const changes = await writer.finish({
        coverage,
        covers: extra.covers,
        quarantined: extra.quarantined,
        // The shape the ingest's use case gives each part (#application builds the real one).
        events: (changed) => [
          {
            type: 'canonical-records.changed',
            version: 1,
            idempotencyKey: `canonical-records.changed:${id}:${changed.part}`,
            payload: { batchId: id, board, ...changed },
          },
        ],
      });
      return { id, changes };
    }

    const changedEvents = async (batchId: string): Promise<CanonicalRecordsChangedV1[]> =>
      (
        await dataSource.query<{ payload: CanonicalRecordsChangedV1 }[]>(
          `SELECT payload FROM outbox WHERE type = 'canonical-records.changed' AND payload->>'batchId' = $1
         ORDER BY (payload->>'part')::int`,
          [batchId],
        )
      ).map((r) => r.payload);
    const eventCount = async (batchId: string): Promise<number> =>
      Number(
        (
          await dataSource.query(`SELECT count(*) AS n FROM outbox WHERE payload->>'batchId' = $1`, [batchId])
        )[0].n,
      );
    const current = async (recordId: string) =>
      (
        await dataSource.query<
          { version: number; deleted: boolean; batch_id: string; payload: CanonicalRecord }[]
        >(
          `SELECT version, deleted, batch_id, payload FROM canonical_record_json WHERE board = $1 AND record_id = $2`,
          [board, recordId],
        )
      )[0];
    const history = async (recordId: string) =>
      dataSource.query<{ version: number; deleted: boolean }[]>(
        `SELECT version, deleted FROM canonical_record_version WHERE board = $1 AND record_id = $2 ORDER BY version`,
        [board, recordId],
      );

    it('stores a first batch as version 1 with one changed event listing every record', async () => {
      fresh();
      const rows = records(5);
      const { id, changes } = await ingest(rows);
      expect({
        created: changes.created,
        updated: changes.updated,
        deleted: changes.deleted,
        unchanged: changes.unchanged,
      }).toEqual({ created: 5, updated: 0, deleted: 0, unchanged: 0 });
      const [event] = await changedEvents(id);
      expect(event.created).toEqual(rows.map((r) => r.recordId).sort());
      expect([event.updated, event.deleted, event.part, event.parts]).toEqual([[], [], 1, 1]);
      assert.equal((await current(rows[0].recordId)).version, 1);
      expect((await current(rows[2].recordId)).payload).toEqual(rows[2]);
      const batch = await batches.findById(scope, id);
      expect([batch?.status, batch?.processCount]).toEqual(['PROCESSED', 1]); // 'processed in its own transaction'
    });

    it('changes nothing when the same records are sent again: no version, no event, batch done at once', async () => {
      fresh();
      const rows = records(5);
      const first = await ingest(rows);
      const again = await ingest(rows, null, { slice: 3 });
      assert.equal(again.changes.unchanged, 5);
      assert.equal(again.changes.created + again.changes.updated + again.changes.deleted, 0);
      assert.equal(await eventCount(again.id), 0);
      expect(await history(rows[0].recordId)).toEqual([]);
      assert.equal((await current(rows[0].recordId)).batch_id, first.id, 'the current version is untouched');
      const batch = await batches.findById(scope, again.id);
      assert.equal(batch?.status, 'PROCESSED');
      expect(batch?.changes).toEqual({ created: 0, updated: 0, deleted: 0, unchanged: 5 });
    });

    it('makes a changed record version 2, keeps version 1 in the history, and lists it as updated', async () => {
      fresh();
      const rows = records(4);
      await ingest(rows);
      const changed = rows.map((r, i) =>
        i === 1 ? { ...r, category: 'SICK' as const, legalClass: 'authorised' as const } : r,
      );
      const { id, changes } = await ingest(changed);
      expect([changes.created, changes.updated, changes.unchanged]).toEqual([0, 1, 3]);
      const now = await current(rows[1].recordId);
      assert.equal(now.version, 2);
      assert.equal(now.payload.category, 'SICK');
      expect(await history(rows[1].recordId)).toEqual([{ version: 1, deleted: false }]);
      const [event] = await changedEvents(id);
      expect([event.created, event.updated, event.deleted]).toEqual([[], [rows[1].recordId], []]);
    });

    it('deletes a record missing within the declared coverage, and leaves records outside it alone', async () => {
      fresh();
      const mine = records(6, 'p-1');
      const other = records(3, 'p-2');
      await ingest([...mine, ...other]);
      // p-1, 5..8 January: records 0..3 are inside; record 2 is gone upstream; records 4 and 5 are later.
      const coverage: RecordCoverage = {
        school: '99XX',
        system: 'magister',
        from: '2026-01-05',
        to: '2026-01-08',
        pupil: 'p-1',
      };
      const sent = mine.filter((_, i) => i !== 2 && i !== 5);
      const { id, changes } = await ingest(sent, coverage);
      expect([changes.deleted, changes.unchanged, changes.created]).toEqual([1, 4, 0]);
      const gone = await current(mine[2].recordId);
      expect([gone.deleted, gone.version]).toEqual([true, 2]);
      expect(await history(mine[2].recordId)).toEqual([{ version: 1, deleted: false }]);
      assert.equal((await current(mine[5].recordId)).deleted, false, 'outside the dates: untouched');
      for (const r of other)
        assert.equal((await current(r.recordId)).deleted, false, 'another pupil: untouched');
      const [event] = await changedEvents(id);
      expect(event.deleted).toEqual([mine[2].recordId]);

      // Without a coverage a missing record is never deleted.
      const none = await ingest(mine.slice(0, 1));
      assert.equal(none.changes.deleted, 0);
      // The record comes back upstream: a new version, listed as created again.
      const back = await ingest([mine[2]], coverage);
      assert.equal(back.changes.created, 1);
      expect([(await current(mine[2].recordId)).version, (await current(mine[2].recordId)).deleted]).toEqual([
        3,
        false,
      ]);
    });

    it('never deletes what the payload holds in quarantine, nor anything when the payload was unreadable', async () => {
      fresh();
      const rows = records(3);
      await ingest(rows);
      const coverage: RecordCoverage = {
        school: '99XX',
        system: 'magister',
        from: '2026-01-01',
        to: '2026-01-31',
      };
      const held: QuarantinedInput = {
        quarantined: true,
        sourceSystem: 'magister',
        sourceId: rows[0].sourceId,
        reason: 'UNMAPPED_REASON',
        detail: 'reason code not in mapping',
        raw: {},
      };
      const partly = await ingest(rows.slice(1), coverage, { quarantined: [held] });
      assert.equal(partly.changes.deleted, 0);
      const unreadable = await ingest([], coverage, {
        quarantined: [{ ...held, sourceId: null, reason: 'MALFORMED_PAYLOAD' }],
      });
      assert.equal(unreadable.changes.deleted, 0);
      assert.equal((await current(rows[0].recordId)).deleted, false);
    });

    it('splits the ids of a large batch over several changed events', async () => {
      fresh();
      const many = Array.from({ length: 10_050 }, (_, i) =>
        aCanonicalRecord({ recordId: `big-${String(i).padStart(6, '0')}`, sourceId: `s${i}` }),
      );
      const { id, changes } = await ingest(many, null, { slice: 4_000 });
      assert.equal(changes.created, 10_050);
      const events = await changedEvents(id);
      expect(events.map((e) => [e.part, e.parts, e.created.length])).toEqual([
        [1, 2, 10_000],
        [2, 2, 50],
      ]);
      expect(events.flatMap((e) => e.created)).toEqual(many.map((r) => r.recordId)); // 'every id once, in record-id order over the parts'
    });

    it('stores lessons per school, replaces them within a timetable coverage, and reads them back', async () => {
      fresh();
      const timetables = new TypeOrmTimetableRepository(dataSource);
      const lesson = (id: string, date: string, pupil?: string): Lesson => ({
        lessonId: id,
        ...(pupil ? { pupil } : {}),
        date,
        start: `${date}T08:30:00+01:00`,
        end: `${date}T09:20:00+01:00`,
        lessonHour: 1,
        durationMinutes: 50,
        cancelled: false,
        sourceSystem: 'zermelo',
        sourceId: id,
      });
      const first = await ingest([], null, {
        lessons: [
          lesson('L1', '2026-01-12', 'p-1'),
          lesson('L2', '2026-01-13', 'p-1'),
          lesson('S1', '2026-01-12'),
        ],
      });
      assert.equal(first.changes.lessonsStored, 3);
      const again = await ingest([], null, { lessons: [lesson('L1', '2026-01-12', 'p-1')] });
      assert.equal(again.changes.lessonsStored, 0, 'an unchanged lesson is not written again');
      const coverage: RecordCoverage = {
        school: '99XX',
        system: 'zermelo',
        from: '2026-01-12',
        to: '2026-01-18',
        pupil: 'p-1',
      };
      const replaced = await ingest([], coverage, {
        lessons: [lesson('L1', '2026-01-12', 'p-1')],
        covers: 'lessons',
      });
      assert.equal(replaced.changes.lessonsRemoved, 1);
      const found = await timetables.lessonsFor(board, '99XX', ['p-1'], '2026-01-01', '2026-01-31');
      expect(found.map((l) => l.lessonId).sort()).toEqual(['L1', 'S1']);
      expect(await timetables.lessonsFor(board, '11AA', ['p-1'], '2026-01-01', '2026-01-31')).toEqual([]);
    });

    // With parts of 3, the four records are being applied when the batch is aborted.
    it('rolls everything back when a batch is aborted; the next batch writes as usual', async () => {
      fresh();
      const id = randomUUID();
      const writer = await batches.beginBatch(scope, { id, submittedBy: 't', receivedAt: new Date() });
      await writer.appendRecords(records(4));
      await writer.abort();
      assert.equal(await batches.findById(scope, id), null);
      const n = await dataSource.query(`SELECT count(*) AS n FROM canonical_record WHERE board = $1`, [
        board,
      ]);
      assert.equal(Number(n[0].n), 0);
      const again = await ingest(records(4));
      assert.equal(again.changes.created, 4);
    });

    it('a record sent again later in the batch is one change: the later row, one version, counted once', async () => {
      fresh();
      const [a, b, c, d] = records(4);
      await ingest([a, b, c, d]);
      const changedA = { ...a, missedMinutes: 50 };
      const changedAgainA = { ...a, missedMinutes: 55 };
      const changedB = { ...b, missedMinutes: 45 };
      const [e] = records(1, 'p-2');
      // a: changed, then changed again three slices later; b: unchanged, then changed later; c: unchanged twice;
      // e: created, then sent again unchanged.
      const { id, changes } = await ingest([changedA, b, c, e, d, e, changedAgainA, changedB, c], null, {
        slice: 2,
      });
      expect({ ...changes, lessonsStored: 0, lessonsRemoved: 0 }).toEqual({
        created: 1,
        updated: 2,
        deleted: 0,
        unchanged: 2,
        lessonsStored: 0,
        lessonsRemoved: 0,
      });
      const storedA = await current(a.recordId);
      assert.equal(storedA.version, 2);
      assert.equal(storedA.batch_id, id);
      assert.equal(storedA.payload.missedMinutes, 55);
      expect(await history(a.recordId)).toEqual([{ version: 1, deleted: false }]);
      assert.equal((await current(b.recordId)).version, 2);
      assert.equal((await current(c.recordId)).version, 1);
      assert.equal((await current(e.recordId)).version, 1);
      const [event] = await changedEvents(id);
      expect(event.created).toEqual([e.recordId]);
      expect(event.updated).toEqual([a.recordId, b.recordId].sort());
    });

    it('a record changed and later in the batch set back to what was stored has not changed', async () => {
      fresh();
      const [a, b, c] = records(3);
      const first = await ingest([a, b, c]);
      const { id, changes } = await ingest([{ ...a, missedMinutes: 50 }, b, c, a], null, { slice: 1 });
      expect([changes.created, changes.updated, changes.deleted, changes.unchanged]).toEqual([0, 0, 0, 3]);
      const stored = await current(a.recordId);
      assert.equal(stored.version, 1);
      assert.equal(stored.batch_id, first.id);
      expect(stored.payload).toEqual(a);
      expect(await history(a.recordId)).toEqual([]);
      assert.equal(await eventCount(id), 0);
    });
  },
);
