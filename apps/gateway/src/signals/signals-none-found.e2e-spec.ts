import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { SIGNALS_CONSUMER } from '#application';
import type { SignalEvaluator } from '#domain';
import { aCanonicalRecord, waitFor } from '#testing';
import { type TestGateway, startTestGateway } from '../gateway.test-support.js';

/**
 * The worker always runs the rules engine (there is no "no rules engine" mode): with a rulepack that finds
 * nothing, record changes are evaluated, batches are processed and no signals are stored.
 */
describe('gateway: signals from a rules engine that finds nothing', () => {
  let gateway: TestGateway;
  let http: ReturnType<typeof request>;
  let staff: string;
  const board = `BOARD-${randomUUID().slice(0, 6)}`;
  const findsNothing: SignalEvaluator = {
    evaluatePupil: () => [],
  };

  beforeAll(async () => {
    gateway = await startTestGateway({ signalEvaluator: findsNothing });
    http = request(gateway.app.getHttpServer());
    staff = await gateway.issuer.issue({ role: 'school_staff', sub: 'staff', board, schools: ['99XX'] });
  });

  afterAll(async () => {
    await gateway?.stop();
  });

  it('evaluates the changes of a batch and stores no signals; evaluate answers with nothing opened', async () => {
    const submitted = await http
      .post('/v1/records')
      .set({ Authorization: `Bearer ${staff}` })
      .send({ records: [aCanonicalRecord()] })
      .expect(202);
    // The batch is processed at once; its change event reaches the worker's evaluation after the relay.
    await waitFor(
      async () => {
        const rows = await gateway.infra.dataSource.query<{ n: string }[]>(
          'SELECT count(*) AS n FROM processed_message WHERE consumer = $1 AND idempotency_key = $2',
          [SIGNALS_CONSUMER, `canonical-records.changed:${submitted.body.batchId}:1`],
        );
        return Number(rows[0].n) === 1 ? true : undefined;
      },
      { what: 'the change event evaluated' },
    );
    const signals = await http
      .get('/v1/schools/99XX/signals')
      .set({ Authorization: `Bearer ${staff}` })
      .expect(200);
    expect(signals.body.items).toEqual([]);
    const res = await http
      .post('/v1/schools/99XX/signals/evaluate')
      .set({ Authorization: `Bearer ${staff}` })
      .expect(200);
    assert.equal(res.body.opened, 0);
    assert.equal(res.body.withdrawn, 0);
  });
});
