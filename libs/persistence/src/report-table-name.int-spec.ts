import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { aReport, createTestDatabase, type TestDatabase } from '#testing';
import { openDatabase } from './data-source.js';
import { MIGRATIONS } from './migrations/index.js';
import { TypeOrmUnitOfWork } from './repositories/unit-of-work.js';

/**
 * Migration 1765580000000: the table of reports in every status is `report` (docs/glossary.md), its indexes
 * follow, and `report_draft` stays readable as a view for one release. Up and down on a database holding
 * reports. PGlite by default, PostgreSQL when DATABASE_URL is set.
 */
describe('the report table under its own name (migration 1765580000000)', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  const board = `B-${randomUUID().slice(0, 8)}`;
  const ids = [randomUUID(), randomUUID()];

  const kindOf = async (name: string): Promise<string | null> => {
    const rows: { table_type: string }[] = await dataSource.query(
      `SELECT table_type FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = $1`,
      [name],
    );
    return rows[0]?.table_type ?? null;
  };
  const indexesOf = async (table: string): Promise<string[]> => {
    const rows = await dataSource.query<{ indexname: string }[]>(
      `SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() AND tablename = $1 ORDER BY 1`,
      [table],
    );
    return rows.map((r) => r.indexname);
  };
  const idsIn = async (relation: string): Promise<string[]> => {
    const rows = await dataSource.query<{ id: string }[]>(
      `SELECT id FROM ${relation} WHERE board = $1 ORDER BY id`,
      [board],
    );
    return rows.map((r) => r.id);
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    dataSource = await openDatabase({ url: database.url, poolSize: 4 });
    const at = new Date('2026-12-05T09:00:00Z');
    await new TypeOrmUnitOfWork(dataSource).run((tx) =>
      tx.reports.insert(
        ids.map((id, i) => {
          const {
            overdue: _o,
            createdAt: _c,
            updatedAt: _u,
            chain: _ch,
            ...report
          } = aReport({
            id,
            board,
            status: i === 0 ? 'DRAFT' : 'REGISTERED',
          });
          return report;
        }),
        at,
      ),
    );
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  it('up: the table is report with report_* indexes, and report_draft is a view of the same rows', async () => {
    assert.equal(await kindOf('report'), 'BASE TABLE');
    assert.equal(await kindOf('report_draft'), 'VIEW');
    const indexes = await indexesOf('report');
    assert.ok(indexes.length >= 7, `all indexes moved: ${indexes.join(', ')}`);
    expect(indexes.filter((name) => !name.startsWith('report_'))).toEqual([]);
    expect(indexes.filter((name) => name.startsWith('report_draft_'))).toEqual([]);
    expect(await idsIn('report')).toEqual([...ids].sort());
    expect(await idsIn('report_draft')).toEqual([...ids].sort());
  });

  it('down and up again: the old table with its old index names and every row, then the new shape', async () => {
    // Later migrations are undone first, down to and including this one.
    for (let i = 0; i < MIGRATIONS.length && (await kindOf('report')) !== null; i++) {
      await dataSource.undoLastMigration({ transaction: 'each' });
    }
    assert.equal(await kindOf('report'), null);
    assert.equal(await kindOf('report_draft'), 'BASE TABLE');
    const old = await indexesOf('report_draft');
    expect(old.filter((name) => !name.startsWith('report_draft_'))).toEqual([]);
    expect(await idsIn('report_draft')).toEqual([...ids].sort());

    await dataSource.runMigrations({ transaction: 'each' });
    assert.equal(await kindOf('report'), 'BASE TABLE');
    assert.equal(await kindOf('report_draft'), 'VIEW');
    expect(await indexesOf('report')).toEqual(old.map((name) => name.replace(/^report_draft_/, 'report_')));
    expect(await idsIn('report')).toEqual([...ids].sort());
  });
});
