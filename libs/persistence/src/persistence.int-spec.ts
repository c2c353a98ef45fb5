import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { DataSource } from 'typeorm';
import { type BoardScope, type NewRecordBatch, NotFoundError, type OutboxEvent } from '#domain';
import { createTestDatabase, someCanonicalRecords, type TestDatabase } from '#testing';
import { openDatabase } from './data-source.js';
import { MIGRATIONS } from './migrations/index.js';
import { TypeOrmOutboxStore } from './repositories/outbox.repository.js';
import { TypeOrmRecordBatchRepository } from './repositories/record-batch.repository.js';

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

const eventFor = (batch: NewRecordBatch): OutboxEvent => ({
  type: 'records.batch-received',
  version: 1,
  idempotencyKey: `records.batch-received:${batch.id}`,
  payload: { batchId: batch.id },
});

describe('persistence (PGlite by default, PostgreSQL when DATABASE_URL is set)', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let batches: TypeOrmRecordBatchRepository;
  let outbox: TypeOrmOutboxStore;

  before(async () => {
    database = await createTestDatabase();
    dataSource = await openDatabase({ url: database.url, poolSize: 4 });
    batches = new TypeOrmRecordBatchRepository(dataSource);
    outbox = new TypeOrmOutboxStore(dataSource);
  });

  after(async () => {
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
    assert.deepEqual(tables, []);
    const ran = await dataSource.runMigrations({ transaction: 'each' });
    assert.equal(ran.length, MIGRATIONS.length);
  });

  it('stores batch, records and outbox row together, and scopes reads to the board', async () => {
    const batch = newBatch();
    await batches.saveSubmitted(scope, batch, eventFor(batch));
    const found = await batches.findById(scope, batch.id);
    assert.equal(found?.status, 'RECEIVED');
    assert.equal(found?.recordCount, 3);
    assert.equal(await batches.findById({ board: 'B2', schools: null }, batch.id), null);
    const rows = await dataSource.query('SELECT count(*) AS n FROM outbox WHERE idempotency_key = $1', [
      eventFor(batch).idempotencyKey,
    ]);
    assert.equal(Number(rows[0].n), 1);
  });

  it('shows school staff only batches wholly within their schools', async () => {
    const mixed = newBatch();
    const records = mixed.records.map((r, i) => (i === 0 ? { ...r, school: { brin: '11AA' } } : r));
    const noSchool = newBatch();
    const unschooled = { ...noSchool, records: noSchool.records.map((r) => ({ ...r, school: null })) };
    await batches.saveSubmitted(scope, { ...mixed, records }, eventFor(mixed));
    await batches.saveSubmitted(scope, unschooled, eventFor(unschooled));
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
    await batches.saveSubmitted(scope, first, eventFor(first));
    const second = newBatch();
    // Same idempotency key as the first event: the outbox insert fails after batch and records were written.
    await assert.rejects(batches.saveSubmitted(scope, second, eventFor(first)));
    assert.equal(await batches.findById(scope, second.id), null);
    const records = await dataSource.query('SELECT count(*) AS n FROM canonical_record WHERE batch_id = $1', [
      second.id,
    ]);
    assert.equal(Number(records[0].n), 0);
  });

  it('processes a message once: a redelivered idempotency key is a duplicate', async () => {
    const batch = newBatch();
    await batches.saveSubmitted(scope, batch, eventFor(batch));
    assert.equal(await batches.markProcessed(batch.id, 'c', 'key-1', new Date()), 'processed');
    assert.equal(await batches.markProcessed(batch.id, 'c', 'key-1', new Date()), 'duplicate');
    const found = await batches.findById(scope, batch.id);
    assert.equal(found?.status, 'PROCESSED');
    assert.equal(found?.processCount, 1);
  });

  it('processes concurrent redeliveries of one message exactly once', async () => {
    const batch = newBatch();
    await batches.saveSubmitted(scope, batch, eventFor(batch));
    const outcomes = await Promise.all(
      Array.from({ length: 4 }, () => batches.markProcessed(batch.id, 'c', `key-${batch.id}`, new Date())),
    );
    assert.deepEqual(outcomes.sort(), ['duplicate', 'duplicate', 'duplicate', 'processed']);
    assert.equal((await batches.findById(scope, batch.id))?.processCount, 1);
  });

  it('refuses a message about an unknown batch and records nothing', async () => {
    await assert.rejects(
      batches.markProcessed(randomUUID(), 'c', 'key-unknown', new Date()),
      (e: unknown) => e instanceof NotFoundError && e.code === 'BATCH_NOT_FOUND',
    );
    const rows = await dataSource.query(
      `SELECT count(*) AS n FROM processed_message WHERE idempotency_key = 'key-unknown'`,
    );
    assert.equal(Number(rows[0].n), 0);
  });

  it('lets several relays claim disjoint outbox rows, and re-offers rows whose lease expired', async () => {
    await dataSource.query('UPDATE outbox SET published_at = now()');
    for (let i = 0; i < 10; i++) {
      const batch = newBatch('B1', 1);
      await batches.saveSubmitted(scope, batch, eventFor(batch));
    }
    // Each batch also announced its new record (canonical-records.changed); this test is about ten rows.
    await dataSource.query(`UPDATE outbox SET published_at = now() WHERE type = 'canonical-records.changed'`);
    const [a, b] = await Promise.all([
      outbox.claim('relay-a', 6, 60_000),
      outbox.claim('relay-b', 6, 60_000),
    ]);
    const ids = [...a, ...b].map((r) => r.id);
    assert.equal(ids.length, 10);
    assert.equal(new Set(ids).size, 10, 'no row claimed twice');
    assert.deepEqual(await outbox.claim('relay-c', 10, 60_000), []);
    assert.equal(a[0].envelope.type, 'records.batch-received');

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
    assert.deepEqual(
      again.map((r) => r.id),
      b.map((r) => r.id),
    );
    await dataSource.query(
      `UPDATE outbox SET claimed_until = now() - interval '1 second' WHERE claimed_by = 'relay-c'`,
    );
    const afterLease = await outbox.claim('relay-d', 10, 1_000);
    assert.deepEqual(
      afterLease.map((r) => r.id),
      b.map((r) => r.id),
      'an expired lease is re-offered',
    );
  });
});
