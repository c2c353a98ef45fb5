import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { aCanonicalRecord, testDatabaseUrl } from '#testing';
import {
  type AbuseGateway,
  assertProblem,
  pieces,
  send,
  sleep,
  somtodayItem,
  somtodayPayload,
  startAbuseGateway,
  storedOf,
} from './abuse.test-support.js';

/** The pool of a PostgreSQL gateway (DATABASE_POOL_SIZE default); embedded PGlite has one connection. */
const POOL = 10;

/**
 * Issue 12, item 2: a slow upload holds no database connection or transaction while it waits on its client;
 * an upload idle longer than UPLOAD_IDLE_TIMEOUT_MS is cut with 408; concurrent ingests per board are bounded
 * (INGEST_MAX_CONCURRENT_PER_BOARD) with 429 and Retry-After. Embedded: one slow upload; PostgreSQL: more slow
 * uploads than the pool has connections.
 */
describe('abuse: slow uploads (issue 12 item 2)', () => {
  let kp: AbuseGateway;

  beforeAll(async () => {
    kp = await startAbuseGateway({ UPLOAD_IDLE_TIMEOUT_MS: '1500', INGEST_MAX_CONCURRENT_PER_BOARD: '2' });
  });
  afterAll(async () => {
    await kp?.stop();
  });

  it('slow uploads in flight: readiness, other writes and other ingests carry on; the uploads are stored', async () => {
    const slowCount = testDatabaseUrl() ? POOL + 2 : 1;
    const slow = await Promise.all(
      Array.from({ length: slowCount }, async (_, n) => {
        const { token, board } = await kp.staff();
        const payload = somtodayPayload([somtodayItem(n * 10), somtodayItem(n * 10 + 1)]);
        // About 4.5 s in 10 pieces, never idle for longer than the idle timeout.
        const answer = send(kp.port, {
          path: '/v1/ingest/somtoday',
          token,
          headers: { 'content-type': 'application/json' },
          chunks: pieces(payload, 10),
          delayMs: 500,
          timeoutMs: 60_000,
        });
        return { board, answer };
      }),
    );
    await sleep(1_000);
    const started = performance.now();
    const ready = await send(kp.port, { method: 'GET', path: '/health/ready', timeoutMs: 20_000 });
    assert.equal(ready.status, 200, ready.text);
    assert.ok(ready.ms < 1_000, `readiness in ${Math.round(ready.ms)} ms`);
    const other = await kp.staff();
    const records = await send(kp.port, {
      path: '/v1/records',
      token: other.token,
      headers: { 'content-type': 'application/json' },
      chunks: [JSON.stringify({ records: [aCanonicalRecord({ recordId: 'slow-other' })] })],
      timeoutMs: 20_000,
    });
    assert.equal(records.status, 202, records.text);
    const ingest = await send(kp.port, {
      path: '/v1/ingest/somtoday',
      token: other.token,
      headers: { 'content-type': 'application/json' },
      chunks: [somtodayPayload([somtodayItem(9_000)])],
      timeoutMs: 20_000,
    });
    assert.equal(ingest.status, 202, ingest.text);
    assert.ok(performance.now() - started < 2_500, 'the other calls did not wait for the slow uploads');
    for (const upload of slow) {
      const answer = await upload.answer;
      assert.equal(answer.status, 202, answer.text);
      assert.equal(answer.body?.['recordCount'], 2);
      assert.equal((await storedOf(kp.infra, upload.board)).records, 2);
    }
  });

  it('an upload idle for longer than UPLOAD_IDLE_TIMEOUT_MS is cut with 408; nothing is stored', async () => {
    const { token, board } = await kp.staff();
    const payload = somtodayPayload([somtodayItem(1), somtodayItem(2)]);
    const answer = await send(kp.port, {
      path: '/v1/ingest/somtoday',
      token,
      headers: { 'content-type': 'application/json' },
      chunks: [payload.slice(0, payload.length / 2)],
      stall: true,
      timeoutMs: 8_000,
    });
    assertProblem(answer, 408, 'UPLOAD_IDLE_TIMEOUT');
    assert.ok(answer.ms >= 1_400 && answer.ms < 5_000, `cut after ${Math.round(answer.ms)} ms`);
    expect(await storedOf(kp.infra, board)).toEqual({ batches: 0, records: 0, quarantined: 0 });
    const ready = await send(kp.port, { method: 'GET', path: '/health/ready', timeoutMs: 5_000 });
    assert.equal(ready.status, 200);
  });

  it('more concurrent ingests of one board than INGEST_MAX_CONCURRENT_PER_BOARD: 429 with Retry-After', async () => {
    const { token, board } = await kp.staff();
    const payload = somtodayPayload([somtodayItem(3)]);
    const slowOne = () =>
      send(kp.port, {
        path: '/v1/ingest/somtoday',
        token,
        headers: { 'content-type': 'application/json' },
        chunks: pieces(payload, 6),
        delayMs: 400,
        timeoutMs: 30_000,
      });
    const first = slowOne();
    const second = slowOne();
    await sleep(300);
    const third = await send(kp.port, {
      path: '/v1/ingest/somtoday',
      token,
      headers: { 'content-type': 'application/json' },
      chunks: [payload],
      timeoutMs: 10_000,
    });
    assertProblem(third, 429, 'INGEST_CONCURRENCY_LIMIT');
    assert.match(String(third.headers['retry-after']), /^\d+$/);
    assert.equal((await first).status, 202);
    assert.equal((await second).status, 202);
    // Once those are done, the board may send again; another board was never limited.
    const again = await send(kp.port, {
      path: '/v1/ingest/somtoday',
      token,
      headers: { 'content-type': 'application/json' },
      chunks: [payload],
    });
    assert.equal(again.status, 202, again.text);
    assert.equal((await storedOf(kp.infra, board)).batches, 3);
  });
});
