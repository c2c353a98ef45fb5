import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
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

  beforeAll(async () => {
    embedded = await EmbeddedPostgres.start(null);
    pool = new pg.Pool({ connectionString: embedded.url, max: 4 });
  });

  afterAll(async () => {
    await pool?.end();
    await embedded?.stop();
  });

  it('transactions and parameterised queries on 4 connections at once: no error, every row its own', async () => {
    // Without the pin this workload fails dozens of statements ("portal does not exist", wrong rows) per run.
    await pool.query('CREATE TABLE mixed (id int PRIMARY KEY, v text)');
    const outcomes = await Promise.all(
      Array.from({ length: 300 }, async (_, i): Promise<string> => {
        if (i % 3 === 0) {
          const client = await pool.connect();
          try {
            await client.query('BEGIN');
            await client.query('INSERT INTO mixed VALUES ($1, $2)', [i, 'x'.repeat(i * 50)]);
            const read = await client.query<{ v: string }>('SELECT v FROM mixed WHERE id = $1', [i]);
            await client.query('COMMIT');
            return read.rows[0]?.v.length === i * 50 ? 'ok' : `wrong ${i}`;
          } finally {
            client.release();
          }
        }
        const res = await pool.query<{ n: number; s: string }>(
          `SELECT $1::int AS n, repeat('y', $2::int) AS s FROM generate_series(1, $3::int)`,
          [i, i % 50, (i % 5) + 1],
        );
        const right =
          res.rows.length === (i % 5) + 1 && res.rows.every((r) => r.n === i && r.s.length === i % 50);
        return right ? 'ok' : `wrong ${i}`;
      }),
    );
    expect(outcomes.filter((o) => o !== 'ok')).toEqual([]);
  });

  it('large parameters spanning many TCP chunks, on 4 connections at once, arrive whole and in order', async () => {
    const results = await Promise.all(
      Array.from({ length: 24 }, async (_, i) => {
        const text = `${i}:`.padEnd(200_000 + i * 997, String.fromCharCode(97 + (i % 26)));
        const res = await pool.query<{ n: number; len: number; head: string }>(
          'SELECT $1::int AS n, length($2::text) AS len, left($2::text, 6) AS head',
          [i, text],
        );
        const small = await pool.query<{ n: number }>('SELECT $1::int AS n', [i]);
        return { i, text, row: res.rows[0], small: small.rows[0] };
      }),
    );
    for (const { i, text, row, small } of results) {
      expect(row).toEqual({ n: i, len: text.length, head: text.slice(0, 6) });
      expect(small).toEqual({ n: i });
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
