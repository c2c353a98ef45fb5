import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import type { CanonicalRecord, RecordCoverage } from '#domain';
import { aCanonicalRecord, createTestDatabase, type TestDatabase } from '#testing';
import { openDatabase } from './data-source.js';
import { INDEX_COMMENTS } from './migrations/1765590000000-record-index-inventory.js';
import { TypeOrmRecordBatchRepository } from './repositories/record-batch.repository.js';
import { TypeOrmSignalStore } from './repositories/signal.repository.js';

const INVENTORY = 'RecordIndexInventory1765590000000';
const TYPED = 'TypedRecordStore1765600000000';

/**
 * Migrations 1765590000000 (only the indexes the queries use, each naming its queries) and 1765600000000 (the
 * typed, partitioned record store, ADR 0033), up and down on a database holding records in several versions
 * (changed twice, deleted, unchanged) and of every shape the contract allows (no school, a school without BRIN,
 * a leerlingnummer, a mapping version, a date-time in another notation, fractional minutes, no times): down gives
 * the old `jsonb` rows back with the same records, up the typed rows again; nothing is lost either way.
 * PGlite by default, PostgreSQL when DATABASE_URL is set.
 */
describe('the record store’s migrations (1765590000000, 1765600000000)', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  const board = `B-${randomUUID().slice(0, 8)}`;
  const coverage: RecordCoverage = {
    school: '99XX',
    system: 'magister',
    from: '2026-01-05',
    to: '2026-01-31',
  };

  const record = (i: number, over: Partial<CanonicalRecord> = {}): CanonicalRecord =>
    aCanonicalRecord({
      recordId: `r-${i}`,
      sourceId: `s-${i}`,
      date: `2026-01-${String(5 + i).padStart(2, '0')}`,
      start: `2026-01-${String(5 + i).padStart(2, '0')}T09:20:00+01:00`,
      end: `2026-01-${String(5 + i).padStart(2, '0')}T10:10:00+01:00`,
      ...over,
    });
  const shapes: CanonicalRecord[] = [
    record(3, { school: null }),
    record(4, { school: {}, pupil: { localId: 'p-4' } }),
    record(5, { school: { brin: '99XX' }, mapping: { source: 'fallback' } }),
    record(6, { start: '2026-01-11T08:20:00Z', end: '2026-01-11T09:10:00.000+01:00' }),
    record(7, { missedMinutes: 19.8, missedLessons: null, start: null, end: null, wholeDay: true }),
    record(8, { category: 'LATE_UNAUTHORISED', legalClass: 'unauthorised', registeredVia: 'TEACHER_CHECK' }),
  ];

  async function ingest(rows: readonly CanonicalRecord[]): Promise<void> {
    const id = randomUUID();
    const writer = await new TypeOrmRecordBatchRepository(dataSource).beginBatch(
      { board, schools: null },
      { id, submittedBy: 'tester', receivedAt: new Date(), school: '99XX', sourceSystem: 'magister' },
    );
    await writer.appendRecords(rows);
    await writer.finish({ coverage, events: () => [] });
  }

  const lastMigration = async (): Promise<string | undefined> =>
    (
      await dataSource.query<{ name: string }[]>(
        `SELECT name FROM schema_migrations ORDER BY id DESC LIMIT 1`,
      )
    )[0]?.name;
  const undoThrough = async (name: string): Promise<void> => {
    for (let i = 0; i < 10 && (await lastMigration()) !== undefined; i++) {
      const last = await lastMigration();
      await dataSource.undoLastMigration({ transaction: 'each' });
      if (last === name) return;
    }
    throw new Error(`${name} was not undone`);
  };
  const indexes = async (): Promise<{ name: string; comment: string | null }[]> =>
    dataSource.query(
      `SELECT c.relname AS name, obj_description(c.oid, 'pg_class') AS comment
       FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
       WHERE i.indrelid = 'canonical_record'::regclass ORDER BY 1`,
    );
  const partitions = async (table: string): Promise<number> =>
    Number(
      (
        await dataSource.query<{ n: string }[]>(
          `SELECT count(*) AS n FROM pg_inherits WHERE inhparent = $1::regclass`,
          [table],
        )
      )[0]?.n,
    );
  /** Every current row and every superseded version of the board, as records: through the view or the old column. */
  const stored = async (typed: boolean): Promise<unknown[]> => {
    const suffix = typed ? '_json' : '';
    return [
      ...(await dataSource.query<unknown[]>(
        `SELECT record_id, batch_id, version, deleted, content_hash, payload FROM canonical_record${suffix}
         WHERE board = $1 ORDER BY record_id`,
        [board],
      )),
      ...(await dataSource.query<unknown[]>(
        `SELECT record_id, batch_id, version, deleted, content_hash, superseded_by_batch, payload
         FROM canonical_record_version${suffix} WHERE board = $1 ORDER BY record_id, version`,
        [board],
      )),
    ];
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    dataSource = await openDatabase({ url: database.url, poolSize: 4 });
    // r-0 in three versions, r-1 deleted by the coverage, r-2 unchanged, r-3 … r-8 one of each shape.
    await ingest([record(0), record(1), record(2), ...shapes]);
    await ingest([record(0, { reasonCode: 'ZIEK' }), record(2), ...shapes]);
    await ingest([record(0, { reasonCode: 'VER' }), record(2), ...shapes]);
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  it('stores each record typed and reads back exactly the record that was sent', async () => {
    const versions = await dataSource.query<{ record_id: string; version: number; deleted: boolean }[]>(
      `SELECT record_id, version, deleted FROM canonical_record WHERE board = $1 AND record_id < 'r-3'
       ORDER BY record_id`,
      [board],
    );
    expect(versions).toEqual([
      { record_id: 'r-0', version: 3, deleted: false },
      { record_id: 'r-1', version: 2, deleted: true },
      { record_id: 'r-2', version: 1, deleted: false },
    ]);
    const read = await new TypeOrmSignalStore(dataSource).currentRecords(board, ['p-1', 'p-4']);
    const sent = [record(0, { reasonCode: 'VER' }), record(2), ...shapes].sort((a, b) =>
      a.date === b.date ? a.recordId.localeCompare(b.recordId) : a.date.localeCompare(b.date),
    );
    expect([...(read.get('p-1') ?? []), ...(read.get('p-4') ?? [])]).toEqual([
      ...sent.filter((r) => r.pupil.localId === 'p-1'),
      ...sent.filter((r) => r.pupil.localId === 'p-4'),
    ]);
    const view = await dataSource.query<{ payload: CanonicalRecord }[]>(
      `SELECT payload FROM canonical_record_json WHERE board = $1 AND record_id = 'r-6'`,
      [board],
    );
    expect(view[0]?.payload).toEqual(shapes[3]);
  });

  it('up: partitioned by board; only the indexes the queries use, each naming them', async () => {
    expect(await partitions('canonical_record')).toEqual(16);
    expect(await partitions('canonical_record_version')).toEqual(16);
    expect(await indexes()).toEqual(
      INDEX_COMMENTS.map(([name, comment]) => ({ name, comment })).sort((a, b) =>
        a.name.localeCompare(b.name),
      ),
    );
  });

  it('down through both and up again: the same records in the old rows, then in the typed rows', async () => {
    const typed = await stored(true);
    // Nine current rows; versions: r-0 twice, r-1 once.
    expect(typed).toHaveLength(9 + 3);
    expect(await lastMigration()).toEqual(TYPED);

    await undoThrough(TYPED);
    expect(await partitions('canonical_record')).toEqual(0);
    expect(await stored(false)).toEqual(typed);
    const fk = await dataSource.query(
      `SELECT 1 FROM pg_constraint WHERE conrelid = 'canonical_record'::regclass AND contype = 'f'`,
    );
    expect(fk).toHaveLength(1);

    await undoThrough(INVENTORY);
    const old = await indexes();
    expect(old.map((index) => index.name)).toContain('canonical_record_coverage_idx');
    expect(old.filter((index) => index.comment !== null)).toEqual([]);
    expect(await stored(false)).toEqual(typed);

    await dataSource.runMigrations({ transaction: 'each' });
    expect(await lastMigration()).toEqual(TYPED);
    expect(await stored(true)).toEqual(typed);
    expect((await indexes()).map((index) => index.name)).not.toContain('canonical_record_coverage_idx');
    // The store works as before: a coverage without r-2 deletes it.
    await ingest([record(0, { reasonCode: 'VER' }), ...shapes]);
    const r2 = await dataSource.query<{ deleted: boolean }[]>(
      `SELECT deleted FROM canonical_record WHERE board = $1 AND record_id = 'r-2'`,
      [board],
    );
    expect(r2).toEqual([{ deleted: true }]);
  });
});
