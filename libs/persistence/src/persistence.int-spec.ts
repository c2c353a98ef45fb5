import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import {
  type BoardScope,
  type CanonicalRecord,
  type FinishBatch,
  type NewRecordBatch,
  type UnitOfWork,
  recordsTheRulesRead,
} from '#domain';
import { aCanonicalRecord, createTestDatabase, someCanonicalRecords, type TestDatabase } from '#testing';
import { openDatabase } from './data-source.js';
import { BatchProcessedAtIngest1765570000000 } from './migrations/1765570000000-batch-processed-at-ingest.js';
import { MIGRATIONS } from './migrations/index.js';
import { TypeOrmOutboxStore } from './repositories/outbox.repository.js';
import { TypeOrmRecordBatchRepository } from './repositories/record-batch.repository.js';
import { TypeOrmSignalStore } from './repositories/signal.repository.js';
import { TypeOrmUnitOfWork } from './repositories/unit-of-work.js';

const scope: BoardScope = { board: 'B1', schools: ['99XX'] };

function newBatch(board = 'B1', records = 3): NewRecordBatch {
  const id = randomUUID();
  return {
    id,
    board,
    submittedBy: 'tester',
    receivedAt: new Date(),
    records: someCanonicalRecords(records, id.slice(0, 8)),
  };
}

/** The events the ingest's use case makes of a batch's changes (its shape; #application builds the real one). */
const eventsFor =
  (batch: NewRecordBatch): FinishBatch['events'] =>
  (changed) => [
    {
      type: 'canonical-records.changed',
      version: 1,
      idempotencyKey: `canonical-records.changed:${batch.id}:${changed.part}`,
      payload: { batchId: batch.id, board: batch.board, ...changed },
    },
  ];
const keyOf = (batch: NewRecordBatch): string => `canonical-records.changed:${batch.id}:1`;

/**
 * A message's evaluation that changed nothing but records its idempotency key, in one unit of work as the
 * evaluation writes it; `beforeCommit` runs inside the transaction, just before it commits.
 */
const handleOnce = (
  uow: UnitOfWork,
  key: string,
  beforeCommit?: () => void,
): Promise<'applied' | 'duplicate'> =>
  uow.run(async (tx) => {
    if (!(await tx.signals.recordMessage('c', key, new Date()))) return 'duplicate';
    await tx.signals.write({ board: 'B1', opened: [], withdrawn: [], withdrawnDrafts: [] }, new Date());
    beforeCommit?.();
    return 'applied';
  });

describe('persistence (PGlite by default, PostgreSQL when DATABASE_URL is set)', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let batches: TypeOrmRecordBatchRepository;
  let outbox: TypeOrmOutboxStore;

  beforeAll(async () => {
    database = await createTestDatabase();
    dataSource = await openDatabase({ url: database.url, poolSize: 4 });
    batches = new TypeOrmRecordBatchRepository(dataSource);
    outbox = new TypeOrmOutboxStore(dataSource);
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  it('processes that start together on an empty database take turns migrating', async () => {
    const fresh = await createTestDatabase();
    try {
      const opened = await Promise.all([1, 2, 3].map(() => openDatabase({ url: fresh.url, poolSize: 2 })));
      const applied = await opened[0].query('SELECT count(*) AS n FROM schema_migrations');
      assert.equal(Number(applied[0].n), MIGRATIONS.length);
      await Promise.all(opened.map((d) => d.destroy()));
    } finally {
      await fresh.drop();
    }
  });

  it('migrations are reversible', async () => {
    for (let i = 0; i < MIGRATIONS.length; i++) await dataSource.undoLastMigration({ transaction: 'each' });
    const tables: unknown[] = await dataSource.query(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> 'schema_migrations'`,
    );
    expect(tables).toEqual([]);
    const ran = await dataSource.runMigrations({ transaction: 'each' });
    assert.equal(ran.length, MIGRATIONS.length);
  });

  it('finishes what the records.batch-received round trip of an older deployment left behind', async () => {
    const [waiting, done] = [randomUUID(), randomUUID()];
    for (const [id, status] of [
      [waiting, 'RECEIVED'],
      [done, 'PROCESSED'],
    ]) {
      await dataSource.query(
        `INSERT INTO record_batch (id, board, schools, status, record_count, submitted_by, received_at, process_count,
           processed_at)
         VALUES ($1, 'B-OLD', '{}', $2, 1, 'tester', now(), $3, $4)`,
        [id, status, status === 'PROCESSED' ? 1 : 0, status === 'PROCESSED' ? new Date() : null],
      );
    }
    const oldEvent = (id: string, published: boolean) =>
      dataSource.query(
        `INSERT INTO outbox (message_id, type, version, idempotency_key, payload, occurred_at, published_at)
         VALUES ($1, 'records.batch-received', 1, $2, $3, now(), $4)`,
        [
          randomUUID(),
          `records.batch-received:${id}`,
          JSON.stringify({ batchId: id }),
          published ? new Date() : null,
        ],
      );
    await oldEvent(waiting, false);
    await oldEvent(done, true);
    const runner = dataSource.createQueryRunner();
    try {
      await new BatchProcessedAtIngest1765570000000().up(runner);
    } finally {
      await runner.release();
    }
    const rows: { id: string; status: string; process_count: number; processed: boolean }[] =
      await dataSource.query(
        `SELECT id, status, process_count, processed_at IS NOT NULL AS processed FROM record_batch
         WHERE board = 'B-OLD' ORDER BY id`,
      );
    expect(rows.map((r) => [r.id, r.status, r.process_count, r.processed])).toEqual(
      [waiting, done].sort().map((id) => [id, 'PROCESSED', 1, true]),
    );
    const left: { key: string }[] = await dataSource.query(
      `SELECT idempotency_key AS key FROM outbox WHERE type = 'records.batch-received'`,
    );
    expect(left.map((r) => r.key)).toEqual([`records.batch-received:${done}`]); // 'only the unsent row is gone: nothing the relay would retry for ever'
  });

  it('stores batch, records and outbox row together, processed at once, and scopes reads to the board', async () => {
    const batch = newBatch();
    await batches.saveSubmitted(scope, batch, eventsFor(batch));
    const found = await batches.findById(scope, batch.id);
    assert.equal(found?.status, 'PROCESSED');
    assert.equal(found?.processCount, 1);
    assert.equal(found?.processedAt, batch.receivedAt.toISOString());
    assert.equal(found?.recordCount, 3);
    assert.equal(await batches.findById({ board: 'B2', schools: null }, batch.id), null);
    const rows = await dataSource.query('SELECT count(*) AS n FROM outbox WHERE idempotency_key = $1', [
      keyOf(batch),
    ]);
    assert.equal(Number(rows[0].n), 1);
  });

  it('shows school staff only batches wholly within their schools', async () => {
    const mixed = newBatch();
    const records = mixed.records.map((r, i) => (i === 0 ? { ...r, school: { brin: '11AA' } } : r));
    const noSchool = newBatch();
    const unschooled = { ...noSchool, records: noSchool.records.map((r) => ({ ...r, school: null })) };
    await batches.saveSubmitted(scope, { ...mixed, records }, eventsFor(mixed));
    await batches.saveSubmitted(scope, unschooled, eventsFor(unschooled));
    const both: BoardScope = { board: 'B1', schools: ['99XX', '11AA'] };
    const only99: BoardScope = { board: 'B1', schools: ['99XX'] };
    const wholeBoard: BoardScope = { board: 'B1', schools: null };
    assert.equal((await batches.findById(both, mixed.id))?.id, mixed.id);
    assert.equal(await batches.findById(only99, mixed.id), null);
    assert.equal(await batches.findById(both, unschooled.id), null);
    assert.equal((await batches.findById(wholeBoard, unschooled.id))?.id, unschooled.id);
    const listed = (await batches.listRecent(only99, 100)).map((b) => b.id);
    assert.ok(!listed.includes(mixed.id) && !listed.includes(unschooled.id));
  });

  it('rolls back the whole batch when any part fails', async () => {
    const first = newBatch();
    await batches.saveSubmitted(scope, first, eventsFor(first));
    const second = newBatch();
    // Same idempotency key as the first event: the outbox insert fails after batch and records were written.
    await assert.rejects(batches.saveSubmitted(scope, second, eventsFor(first)));
    assert.equal(await batches.findById(scope, second.id), null);
    const records = await dataSource.query('SELECT count(*) AS n FROM canonical_record WHERE batch_id = $1', [
      second.id,
    ]);
    assert.equal(Number(records[0].n), 0);
  });

  it('reads back the records it stored, and for the rules what recordsTheRulesRead keeps of them', async () => {
    const board = `B-RULES-${randomUUID().slice(0, 8)}`;
    const on = (
      id: string,
      localId: string,
      date: string,
      category: CanonicalRecord['category'],
      registeredVia: CanonicalRecord['registeredVia'] = 'TEACHER_CHECK',
    ): CanonicalRecord =>
      aCanonicalRecord({
        recordId: id,
        sourceId: id,
        pupil: { localId },
        school: { brin: '99XX' },
        date,
        category,
        legalClass: category === 'PRESENT' ? 'present' : category === 'SICK' ? 'authorised' : 'unauthorised',
        registeredVia,
        lessonHourFrom: 2,
        lessonHourTo: 2,
      });
    const records: CanonicalRecord[] = [
      on('present-alone', 'p1', '2026-01-12', 'PRESENT'),
      on('present-beside-absence', 'p1', '2026-01-13', 'PRESENT'),
      on('absence', 'p1', '2026-01-13', 'UNAUTHORISED', 'REPORT'),
      on('present-beside-aggregate', 'p1', '2026-01-14', 'PRESENT'),
      on('aggregate', 'p1', '2026-01-14', 'UNAUTHORISED', 'AGGREGATE'),
      on('present-other-pupil', 'p2', '2026-01-12', 'PRESENT'),
      on('sick-other-pupil', 'p2', '2026-01-13', 'SICK', 'REPORT'),
      // Every field the reader rebuilds: instants with their offsets, a date-time kept as text, a leerlingnummer, a
      // vestiging, numbers with a fraction, a mapping version.
      {
        ...on('every-field', 'p2', '2026-03-29', 'LATE_UNAUTHORISED', 'REPORT'),
        pupil: { localId: 'p2', leerlingnummer: '123456' },
        school: { brin: '99XX', vestiging: '01' },
        start: '2026-03-29T03:00:00+02:00',
        end: '2026-03-29T09:20:00.000+02:00',
        missedMinutes: 12.5,
        missedLessons: 0.25,
        reasonCode: 'TL',
        explainedBy: 'absence',
        mapping: { source: 'fallback' as const, version: 'v7' },
      },
    ];
    const batch: NewRecordBatch = {
      id: randomUUID(),
      board,
      submittedBy: 'tester',
      receivedAt: new Date(),
      records,
    };
    await batches.saveSubmitted({ board, schools: null }, batch, eventsFor(batch));
    const signals = new TypeOrmSignalStore(dataSource);
    const all = await signals.currentRecords(board, ['p1', 'p2', 'p3']);
    const byId = (list: readonly CanonicalRecord[]): CanonicalRecord[] =>
      [...list].sort((a, b) => (a.recordId < b.recordId ? -1 : 1));
    expect(byId([...all.values()].flat())).toEqual(byId(records));
    const forRules = await signals.recordsForRules(board, ['p1', 'p2', 'p3']);
    expect(byId([...forRules.values()].flat())).toEqual(byId(recordsTheRulesRead(records)));
    expect(
      [...forRules.values()]
        .flat()
        .map((r) => r.recordId)
        .sort(),
    ).toEqual(['absence', 'every-field', 'present-beside-absence', 'sick-other-pupil']);
    expect([...forRules.keys()].sort()).toEqual(['p1', 'p2']);
  });

  it('processes a message once: a redelivered idempotency key is a duplicate', async () => {
    const signals = new TypeOrmSignalStore(dataSource);
    const uow = new TypeOrmUnitOfWork(dataSource);
    assert.equal(await handleOnce(uow, 'key-1'), 'applied');
    assert.equal(await handleOnce(uow, 'key-1'), 'duplicate');
    assert.equal(await signals.wasProcessed('c', 'key-1'), true);
  });

  it('processes concurrent redeliveries of one message exactly once', async () => {
    const uow = new TypeOrmUnitOfWork(dataSource);
    const key = `key-${randomUUID()}`;
    const outcomes = await Promise.all(Array.from({ length: 4 }, () => handleOnce(uow, key)));
    expect(outcomes.sort()).toEqual(['applied', 'duplicate', 'duplicate', 'duplicate']);
    const rows = await dataSource.query(
      `SELECT count(*) AS n FROM processed_message WHERE idempotency_key = $1`,
      [key],
    );
    assert.equal(Number(rows[0].n), 1);
  });

  it('records nothing of a message whose transaction fails before commit', async () => {
    const signals = new TypeOrmSignalStore(dataSource);
    const uow = new TypeOrmUnitOfWork(dataSource);
    const crash = (): void => {
      throw new Error('fault before commit');
    };
    await assert.rejects(handleOnce(uow, 'key-rolled-back', crash), /fault before commit/);
    assert.equal(await signals.wasProcessed('c', 'key-rolled-back'), false);
    assert.equal(await handleOnce(uow, 'key-rolled-back'), 'applied');
  });

  it('lets several relays claim disjoint outbox rows, and re-offers rows whose lease expired', async () => {
    await dataSource.query('UPDATE outbox SET published_at = now()');
    for (let i = 0; i < 10; i++) {
      const batch = newBatch('B1', 1);
      await batches.saveSubmitted(scope, batch, eventsFor(batch));
    }
    const [a, b] = await Promise.all([
      outbox.claim('relay-a', 6, 60_000),
      outbox.claim('relay-b', 6, 60_000),
    ]);
    const ids = [...a, ...b].map((r) => r.id);
    assert.equal(ids.length, 10);
    assert.equal(new Set(ids).size, 10, 'no row claimed twice');
    expect(await outbox.claim('relay-c', 10, 60_000)).toEqual([]);
    assert.equal(a[0].envelope.type, 'canonical-records.changed');

    await outbox.markPublished(
      a.map((r) => r.id),
      new Date(),
    );
    await outbox.release(
      b.map((r) => r.id),
      'BROKER_UNAVAILABLE',
    );
    assert.equal(await outbox.countUnpublished(), b.length);
    const again = await outbox.claim('relay-c', 10, 1_000);
    expect(again.map((r) => r.id)).toEqual(b.map((r) => r.id));
    await dataSource.query(
      `UPDATE outbox SET claimed_until = now() - interval '1 second' WHERE claimed_by = 'relay-c'`,
    );
    const afterLease = await outbox.claim('relay-d', 10, 1_000);
    expect(afterLease.map((r) => r.id)).toEqual(b.map((r) => r.id)); // 'an expired lease is re-offered'
  });
});
