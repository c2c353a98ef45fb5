import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { aCanonicalRecord, waitFor } from '#testing';
import { type TestGateway, startTestGateway } from '../gateway.test-support.js';

/** A gateway without a rules engine: record changes are still acknowledged, the evaluate endpoint says 503. */
describe('gateway: signals without a rules engine', () => {
  let gateway: TestGateway;
  let http: ReturnType<typeof request>;
  let staff: string;
  const board = `BOARD-${randomUUID().slice(0, 6)}`;

  before(async () => {
    gateway = await startTestGateway({ signalEvaluator: null });
    http = request(gateway.app.getHttpServer());
    staff = await gateway.issuer.issue({ role: 'school_staff', sub: 'staff', board, schools: ['99XX'] });
  });

  after(async () => {
    await gateway?.stop();
  });

  it('processes record batches and stores no signals; evaluate is 503 SIGNALS_UNAVAILABLE', async () => {
    const submitted = await http
      .post('/v1/records')
      .set({ Authorization: `Bearer ${staff}` })
      .send({ records: [aCanonicalRecord()] })
      .expect(202);
    await waitFor(async () => {
      const batch = await http
        .get(`/v1/records/batches/${submitted.body.batchId}`)
        .set({ Authorization: `Bearer ${staff}` })
        .expect(200);
      return batch.body.status === 'PROCESSED' ? true : undefined;
    });
    const signals = await http
      .get('/v1/schools/99XX/signals')
      .set({ Authorization: `Bearer ${staff}` })
      .expect(200);
    assert.deepEqual(signals.body.items, []);
    const res = await http
      .post('/v1/schools/99XX/signals/evaluate')
      .set({ Authorization: `Bearer ${staff}` })
      .expect(503);
    assert.equal(res.body.code, 'SIGNALS_UNAVAILABLE');
  });
});
