import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { EmbeddedPostgres } from './embedded-postgres.js';

/**
 * pglite-socket interleaves the extended-protocol messages of concurrent connections (pglite #1046); the
 * embedded server pins a connection until its Sync. Without the pin these fail with "portal does not exist"
 * or with rows that belong to another connection's query.
 */
describe('embedded PostgreSQL under concurrent connections', () => {
  let embedded: EmbeddedPostgres;
  let pool: pg.Pool;

  before(async () => {
    embedded = await EmbeddedPostgres.start(null);
    pool = new pg.Pool({ connectionString: embedded.url, max: 4 });
  });

  after(async () => {
    await pool?.end();
    await embedded?.stop();
  });

  it('every parameterised query gets its own rows when 400 run at once on 4 connections', async () => {
    const results = await Promise.all(
      Array.from({ length: 400 }, async (_, i) => {
        const res = await pool.query<{ n: number; label: string }>(
          'SELECT $1::int AS n, $2::text AS label FROM generate_series(1, ($1::int % 7) + 1)',
          [i, `q-${i}`],
        );
        return { i, res };
      }),
    );
    for (const { i, res } of results) {
      assert.equal(res.rows.length, (i % 7) + 1);
      for (const row of res.rows) assert.deepEqual(row, { n: i, label: `q-${i}` });
    }
  });

  it('queries of other connections wait while one connection holds a transaction, and see its commit', async () => {
    await pool.query('CREATE TABLE t (id int PRIMARY KEY, v text)');
    const tx = await pool.connect();
    try {
      await tx.query('BEGIN');
      await tx.query('INSERT INTO t VALUES ($1, $2)', [1, 'in-tx']);
      const outside = pool.query<{ n: string }>('SELECT count(*) AS n FROM t WHERE id = $1', [1]);
      await tx.query('UPDATE t SET v = $1 WHERE id = $2', ['done', 1]);
      await tx.query('COMMIT');
      assert.equal((await outside).rows[0].n, '1');
    } finally {
      tx.release();
    }
  });

  it('a failing statement answers with its error and the queue keeps serving the others', async () => {
    const [bad, good] = await Promise.allSettled([
      pool.query('SELECT $1::int / 0 AS x', [1]),
      pool.query<{ x: number }>('SELECT $1::int AS x', [42]),
    ]);
    assert.equal(bad.status, 'rejected');
    assert.match(String(bad.status === 'rejected' ? bad.reason : ''), /division by zero/);
    assert.equal(good.status === 'fulfilled' && good.value.rows[0].x, 42);
    const after = await pool.query<{ x: number }>('SELECT $1::int AS x', [7]);
    assert.equal(after.rows[0].x, 7);
  });
});
