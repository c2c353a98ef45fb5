import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { aCanonicalRecord } from '#testing';
import {
  type AbuseGateway,
  assertProblem,
  send,
  sleep,
  startAbuseGateway,
  storedOf,
} from './abuse.test-support.js';

/** `[` × depth, closed again: a tiny body with a huge nesting depth. */
const nested = (depth: number, inner = '0'): string => '['.repeat(depth) + inner + ']'.repeat(depth);

/**
 * Issue 12, item 1: deeply nested JSON refused in linear time on every JSON entry point (JSON_MAX_DEPTH,
 * default 64), with a coded 400 within a second while other requests carry on.
 */
describe('abuse: deeply nested JSON (issue 12 item 1)', () => {
  let kp: AbuseGateway;

  beforeAll(async () => {
    kp = await startAbuseGateway();
  });
  afterAll(async () => {
    await kp?.stop();
  });

  it('an ingest body nested 100,000 deep is a 400 JSON_TOO_DEEP within a second; readiness answers meanwhile', async () => {
    const { token, board } = await kp.staff();
    const body = `{"items":${nested(100_000, '{}')}}`;
    const ingest = send(kp.port, {
      path: '/v1/ingest/somtoday',
      token,
      headers: { 'content-type': 'application/json' },
      chunks: [body.slice(0, 4096), body.slice(4096)],
      timeoutMs: 60_000,
    });
    await sleep(20);
    const ready = await send(kp.port, { method: 'GET', path: '/health/ready', timeoutMs: 60_000 });
    const answer = await ingest;
    assertProblem(answer, 400, 'JSON_TOO_DEEP');
    assert.ok(answer.ms < 1_000, `refused in ${Math.round(answer.ms)} ms`);
    assert.equal(ready.status, 200);
    assert.ok(ready.ms < 1_000, `readiness answered in ${Math.round(ready.ms)} ms`);
    expect(await storedOf(kp.infra, board)).toEqual({ batches: 0, records: 0, quarantined: 0 });
  });

  it('a truly deep body (1,000,000 levels) is refused as fast', async () => {
    const { token } = await kp.staff();
    const answer = await send(kp.port, {
      path: '/v1/ingest/magister',
      token,
      headers: { 'content-type': 'application/json' },
      chunks: ['['.repeat(1_000_000)],
      timeoutMs: 60_000,
    });
    assertProblem(answer, 400, 'JSON_TOO_DEEP');
    assert.ok(answer.ms < 1_000, `refused in ${Math.round(answer.ms)} ms`);
  });

  it('POST /v1/records nested 100,000 deep is a 400 JSON_TOO_DEEP within a second', async () => {
    const { token, board } = await kp.staff();
    const answer = await send(kp.port, {
      path: '/v1/records',
      token,
      headers: { 'content-type': 'application/json' },
      chunks: [`{"records":${nested(100_000)}}`],
      timeoutMs: 60_000,
    });
    assertProblem(answer, 400, 'JSON_TOO_DEEP');
    assert.ok(answer.ms < 1_000, `refused in ${Math.round(answer.ms)} ms`);
    expect(await storedOf(kp.infra, board)).toEqual({ batches: 0, records: 0, quarantined: 0 });
  });

  it('a reason mapping and a policy nested too deep are refused the same way', async () => {
    const { token } = await kp.staff();
    const mapping = await send(kp.port, {
      method: 'PUT',
      path: '/v1/mappings/somtoday?school=99XX',
      token,
      headers: { 'content-type': 'application/json' },
      chunks: [`{"version":"x","codes":${nested(65)}}`],
    });
    assertProblem(mapping, 400, 'JSON_TOO_DEEP');
    const officer = await kp.gateway.issuer.issue({ role: 'privacy_officer', sub: 'po', board: 'ABUSE-PO' });
    const policy = await send(kp.port, {
      path: '/v1/privacy/policies',
      token: officer,
      headers: { 'content-type': 'application/json' },
      chunks: [`{"text":"x","extra":${nested(200)}}`],
    });
    assertProblem(policy, 400, 'JSON_TOO_DEEP');
  });

  it('nesting within the limit is read as before (64 levels; a canonical record batch is accepted)', async () => {
    const { token } = await kp.staff();
    const shallow = await send(kp.port, {
      path: '/v1/records',
      token,
      headers: { 'content-type': 'application/json' },
      chunks: [`{"records":${nested(60)}}`],
    });
    assertProblem(shallow, 400, 'REQUEST_INVALID');
    const ok = await send(kp.port, {
      path: '/v1/records',
      token,
      headers: { 'content-type': 'application/json' },
      chunks: [JSON.stringify({ records: [aCanonicalRecord({ recordId: 'depth-ok' })] })],
    });
    assert.equal(ok.status, 202, ok.text);
  });
});
