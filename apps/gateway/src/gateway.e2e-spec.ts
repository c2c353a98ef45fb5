import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { SIGNALS_CONSUMER } from '#application';
import type { Infrastructure } from '#runtime';
import { aCanonicalRecord, someCanonicalRecords, waitFor } from '#testing';
import type { LocalIssuer } from './auth/index.js';
import { type TestGateway, startTestGateway } from './gateway.test-support.js';

/**
 * The walking skeleton end to end: HTTP → use case → PostgreSQL (records, outbox and the batch PROCESSED in one
 * transaction) → relay → broker → worker consumer (signal evaluation of the changed records). Embedded PGlite + in-process broker by default;
 * the PostgreSQL server and RabbitMQ when DATABASE_URL / AMQP_URL are set (CI runs both).
 */
describe('gateway: records skeleton', () => {
  let gateway: TestGateway;
  let infra: Infrastructure;
  let issuer: LocalIssuer;
  let staffToken: string;
  let http: ReturnType<typeof request>;

  beforeAll(async () => {
    gateway = await startTestGateway();
    ({ infra, issuer } = gateway);
    http = request(gateway.app.getHttpServer());
    staffToken = (await issuer.demoToken('school_staff')).token;
  });

  afterAll(async () => {
    await gateway?.stop();
  });

  const count = async (table: string): Promise<number> =>
    Number((await infra.dataSource.query<{ n: string }[]>(`SELECT count(*) AS n FROM ${table}`))[0].n);

  it('answers liveness and readiness with database and broker up', async () => {
    await http.get('/health').expect(200, { status: 'ok' });
    const ready = await http.get('/health/ready').expect(200);
    assert.equal(ready.body.status, 'ready');
    expect(ready.body.checks).toEqual({ database: 'up', broker: 'up' });
  });

  it('serves the OpenAPI document and UI at /docs', async () => {
    const doc = await http.get('/docs/openapi.json').expect(200);
    assert.ok(doc.body.paths['/v1/records']);
    assert.ok(doc.body.paths['/v1/records/batches/{id}']);
    // A report's way kept its path and operation ids when its controller was renamed (clients generate from them).
    const report = '/v1/schools/{school}/reports/{id}';
    assert.equal(doc.body.paths[`${report}/chain`].get.operationId, 'ReportChainController_chain');
    assert.equal(doc.body.paths[`${report}/withdraw`].post.operationId, 'ReportChainController_withdraw');
    assert.equal(doc.body.paths[`${report}/end-date`].post.operationId, 'ReportChainController_endDate');
    const ui = await http.get('/docs').redirects(1).expect(200);
    assert.match(ui.text, /swagger/i);
  });

  it('stores a batch processed in one transaction, and the worker evaluates its changes exactly once', async () => {
    const records = someCanonicalRecords(25, `ok-${randomUUID().slice(0, 6)}`);
    const created = await http
      .post('/v1/records')
      .set('Authorization', `Bearer ${staffToken}`)
      .send({ records })
      .expect(202);
    assert.equal(created.body.status, 'PROCESSED');
    assert.equal(created.body.recordCount, 25);
    assert.equal(created.headers['location'], `/v1/records/batches/${created.body.batchId}`);

    const res = await http
      .get(created.headers['location'])
      .set('Authorization', `Bearer ${staffToken}`)
      .expect(200);
    const batch = res.body as { status: string; recordCount: number; processCount: number };
    assert.equal(batch.status, 'PROCESSED');
    assert.equal(batch.recordCount, 25);
    assert.equal(batch.processCount, 1);
    const stored = await infra.dataSource.query(
      'SELECT count(*) AS n FROM canonical_record WHERE batch_id = $1',
      [created.body.batchId],
    );
    assert.equal(Number(stored[0].n), 25);
    const payload = await infra.dataSource.query(
      'SELECT payload FROM canonical_record_json WHERE record_id = $1',
      [records[3].recordId],
    );
    expect(payload[0].payload).toEqual(records[3]);
    // The batch's one change event went through relay, broker and worker, and was handled once.
    const key = `canonical-records.changed:${created.body.batchId}:1`;
    await waitFor(
      async () => {
        const rows = await infra.dataSource.query<{ n: string }[]>(
          'SELECT count(*) AS n FROM processed_message WHERE consumer = $1 AND idempotency_key = $2',
          [SIGNALS_CONSUMER, key],
        );
        return Number(rows[0].n) === 1 ? true : undefined;
      },
      { what: 'the change event evaluated by the worker' },
    );
  });

  it('refuses a bad batch with a coded problem naming each bad field, and stores nothing', async () => {
    const before = [await count('record_batch'), await count('canonical_record'), await count('outbox')];
    const good = aCanonicalRecord({ recordId: 'bad-batch-good' });
    const { pupil: _dropped, ...withoutPupil } = aCanonicalRecord({ recordId: 'bad-batch-3' });
    const res = await http
      .post('/v1/records')
      .set('Authorization', `Bearer ${staffToken}`)
      .send({
        records: [
          good,
          { ...good, recordId: 'bad-batch-1', date: '2026-02-30x', category: 'TRUANT' },
          { ...good, recordId: 'bad-batch-2', start: '2026-01-13T09:20:00', missedMinutes: -5 },
          withoutPupil,
        ],
      })
      .expect(400);
    assert.match(res.headers['content-type'], /^application\/problem\+json/);
    assert.equal(res.body.code, 'REQUEST_INVALID');
    assert.equal(res.body.status, 400);
    const fields = new Set((res.body.issues as { field: string }[]).map((i) => i.field));
    for (const field of [
      'records[1].date',
      'records[1].category',
      'records[2].start',
      'records[2].missedMinutes',
      'records[3].pupil',
    ]) {
      assert.ok(fields.has(field), `expected an issue for ${field}, got ${[...fields].join(', ')}`);
    }
    assert.ok(!fields.has('records[0].date'));
    assert.doesNotMatch(JSON.stringify(res.body), /TRUANT|2026-02-30x/, 'problem must not echo input values');
    expect([await count('record_batch'), await count('canonical_record'), await count('outbox')]).toEqual(
      before,
    );
  });

  it('refuses domain-inconsistent records with every issue, and stores nothing', async () => {
    const before = await count('record_batch');
    const res = await http
      .post('/v1/records')
      .set('Authorization', `Bearer ${staffToken}`)
      .send({ records: [aCanonicalRecord({ category: 'SICK', legalClass: 'unauthorised' })] })
      .expect(400);
    assert.equal(res.body.code, 'RECORD_BATCH_INVALID');
    expect(res.body.issues.map((i: { field: string; code: string }) => [i.field, i.code])).toEqual([
      ['records[0].legalClass', 'LEGAL_CLASS_MISMATCH'],
    ]);
    assert.equal(await count('record_batch'), before);
  });

  it('answers unreadable JSON with a coded problem that does not quote the body', async () => {
    const res = await http
      .post('/v1/records')
      .set('Authorization', `Bearer ${staffToken}`)
      .set('Content-Type', 'application/json')
      .send('{"records": [ {"recordId": "secret-BSN-123456782"')
      .expect(400);
    assert.equal(res.body.code, 'REQUEST_UNREADABLE');
    assert.doesNotMatch(res.text, /123456782/);
    assert.doesNotMatch(res.text, /at .*\.js:\d+/, 'no stack trace');
  });

  it('refuses calls without a valid token', async () => {
    const missing = await http.post('/v1/records').send({ records: [] }).expect(401);
    assert.equal(missing.body.code, 'TOKEN_MISSING');
    const expired = await issuer.issue(
      { role: 'school_staff', sub: 'x', board: 'BOARD-DEMO', schools: ['99XX'] },
      { ttlSeconds: 600, now: new Date(Date.now() - 3_600_000) },
    );
    const res = await http
      .get(`/v1/records/batches/${randomUUID()}`)
      .set('Authorization', `Bearer ${expired}`)
      .expect(401);
    assert.equal(res.body.code, 'TOKEN_EXPIRED');
  });

  it('keeps boards apart: another board cannot see a batch, even with its id', async () => {
    const created = await http
      .post('/v1/records')
      .set('Authorization', `Bearer ${staffToken}`)
      .send({ records: someCanonicalRecords(1, `iso-${randomUUID().slice(0, 6)}`) })
      .expect(202);
    const other = await issuer.issue({
      role: 'school_staff',
      sub: 'other',
      board: 'BOARD-OTHER',
      schools: ['99XX'],
    });
    const theirs = await http
      .get(`/v1/records/batches/${created.body.batchId}`)
      .set('Authorization', `Bearer ${other}`)
      .expect(404);
    const missing = await http
      .get(`/v1/records/batches/${randomUUID()}`)
      .set('Authorization', `Bearer ${other}`)
      .expect(404);
    assert.equal(theirs.body.code, 'BATCH_NOT_FOUND');
    expect({ ...theirs.body, instance: undefined }).toEqual({ ...missing.body, instance: undefined });
    const theirList = await http
      .get('/v1/records/batches')
      .set('Authorization', `Bearer ${other}`)
      .expect(200);
    expect(theirList.body.items).toEqual([]);
    const ourList = await http
      .get('/v1/records/batches?limit=100')
      .set('Authorization', `Bearer ${staffToken}`)
      .expect(200);
    assert.ok(ourList.body.items.some((b: { id: string }) => b.id === created.body.batchId));
    const fg = (await issuer.demoToken('privacy_officer')).token;
    await http
      .get(`/v1/records/batches/${created.body.batchId}`)
      .set('Authorization', `Bearer ${fg}`)
      .expect(200);
    await http.get('/v1/records/batches/not-a-uuid').set('Authorization', `Bearer ${staffToken}`).expect(404);
  });

  it('refuses roles that may not submit, and schools outside the token', async () => {
    const officer = (await issuer.demoToken('leerplicht_officer')).token;
    const res = await http
      .post('/v1/records')
      .set('Authorization', `Bearer ${officer}`)
      .send({ records: [aCanonicalRecord()] })
      .expect(403);
    assert.equal(res.body.code, 'ROLE_NOT_ALLOWED');
    const client = (await issuer.demoToken('integration_client')).token;
    const outside = await http
      .post('/v1/records')
      .set('Authorization', `Bearer ${client}`)
      .send({ records: [aCanonicalRecord({ school: { brin: '11AA' } })] })
      .expect(400);
    expect(outside.body.issues.map((i: { code: string }) => i.code)).toEqual(['SCHOOL_OUT_OF_SCOPE']);
  });
});
