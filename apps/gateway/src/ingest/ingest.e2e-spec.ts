import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { fileURLToPath } from 'node:url';
import request from 'supertest';
import type { Infrastructure } from '#runtime';
import { type TestGateway, startTestGateway } from '../gateway.test-support.js';

const SHARED = fileURLToPath(new URL('../../../../../../shared/fixtures/source-systems/', import.meta.url));

/**
 * Raw ingest end to end: a school system's own payload → adapter → normalisation with the school's mapping →
 * records and quarantine stored with the batch, which is processed in that same transaction. Then the school fixes its mapping and the
 * quarantined records are replayed. PGlite by default; PostgreSQL + RabbitMQ when DATABASE_URL / AMQP_URL are set.
 */
describe('gateway: raw ingest, quarantine and replay', () => {
  let gateway: TestGateway;
  let infra: Infrastructure;
  let somtodayClient: string;
  let staff: string;
  let http: ReturnType<typeof request>;
  let somtodayPayload: string;

  beforeAll(async () => {
    gateway = await startTestGateway();
    infra = gateway.infra;
    http = request(gateway.app.getHttpServer());
    const board = `BOARD-${randomUUID().slice(0, 6)}`;
    somtodayClient = await gateway.issuer.issue({
      role: 'integration_client',
      sub: 'somtoday-sync',
      board,
      school: '99XX',
      system: 'somtoday',
    });
    staff = await gateway.issuer.issue({ role: 'school_staff', sub: 'staff', board, schools: ['99XX'] });
    somtodayPayload = await readFile(join(SHARED, 'somtoday-absentiemeldingen.json'), 'utf8');
  });

  afterAll(async () => {
    await gateway?.stop();
  });

  /** The batch as the API shows it right after the ingest answered: processed in the ingest's own transaction. */
  const processed = async (location: string) => {
    const res = await http.get(location).set('Authorization', `Bearer ${staff}`).expect(200);
    const body = res.body as {
      status: string;
      recordCount: number;
      quarantinedCount: number;
      processCount: number;
      processedAt: string | null;
    };
    expect([body.status, body.processCount]).toEqual(['PROCESSED', 1]); // 'processed when the ingest answers'
    assert.ok(body.processedAt !== null);
    return body;
  };

  it('ingests a SOMtoday payload as sent, with the fallback rules while the school has no mapping', async () => {
    const res = await http
      .post('/v1/ingest/somtoday')
      .set('Authorization', `Bearer ${somtodayClient}`)
      .set('Content-Type', 'application/json')
      .send(somtodayPayload)
      .expect(202);
    assert.ok(res.body.recordCount > 0);
    assert.equal(res.body.status, 'PROCESSED');
    assert.equal(res.body.mapping, null);
    const batch = await processed(res.headers['location']);
    assert.equal(batch.recordCount, res.body.recordCount);
    const rows = await infra.dataSource.query<
      { payload: { school: { brin: string }; sourceSystem: string } }[]
    >('SELECT payload FROM canonical_record_json WHERE batch_id = $1', [res.body.batchId]);
    assert.equal(rows.length, res.body.recordCount);
    for (const row of rows) {
      assert.equal(row.payload.school.brin, '99XX', 'records take the school of the integration client');
      assert.equal(row.payload.sourceSystem, 'somtoday');
    }
  });

  it('quarantines a reason the school mapping lacks, lists it, and replays it after the fix', async () => {
    const v1 = await http
      .put('/v1/mappings/somtoday')
      .set('Authorization', `Bearer ${staff}`)
      .send({ system: 'somtoday', version: 'v1', reasons: { VW: 'SCHOOL_SENT_OUT' } })
      .expect(200);
    expect(v1.body.replay).toEqual({
      resolved: 0,
      stillQuarantined: 0,
      batchId: null,
      skippedPastRetention: 0,
    });

    const res = await http
      .post('/v1/ingest/somtoday')
      .set('Authorization', `Bearer ${somtodayClient}`)
      .set('Content-Type', 'application/json')
      .send(somtodayPayload)
      .expect(202);
    expect(res.body.mapping).toEqual({ version: 'v1' });
    const unmapped = (res.body.quarantined as { sourceId: string; reason: string }[]).filter(
      (q) => q.reason === 'UNMAPPED_REASON',
    );
    assert.ok(unmapped.length > 0, 'the MB reason is not in mapping v1');
    assert.ok(unmapped.every((q) => q.sourceId === '4400000001'));
    await processed(res.headers['location']);

    const list = await http
      .get('/v1/quarantine?system=somtoday')
      .set('Authorization', `Bearer ${staff}`)
      .expect(200);
    assert.ok(list.body.items.length >= unmapped.length);
    assert.ok(!JSON.stringify(list.body).includes('"raw"'), 'the work list never carries the raw input');

    const v2 = await http
      .put('/v1/mappings/somtoday')
      .set('Authorization', `Bearer ${staff}`)
      .send({ system: 'somtoday', version: 'v2', reasons: { VW: 'SCHOOL_SENT_OUT', MB: 'MEDICAL_VISIT' } })
      .expect(200);
    assert.equal(v2.body.replay.resolved, list.body.items.length);
    assert.equal(v2.body.replay.stillQuarantined, 0);
    await processed(`/v1/records/batches/${v2.body.replay.batchId}`);
    const replayed = await infra.dataSource.query<{ category: string }[]>(
      `SELECT payload->>'category' AS category FROM canonical_record_json WHERE batch_id = $1`,
      [v2.body.replay.batchId],
    );
    assert.ok(replayed.length > 0 && replayed.every((r) => r.category === 'MEDICAL_VISIT'));
    const after = await http
      .get('/v1/quarantine?system=somtoday')
      .set('Authorization', `Bearer ${staff}`)
      .expect(200);
    expect(after.body.items).toEqual([]);

    await http
      .put('/v1/mappings/somtoday')
      .set('Authorization', `Bearer ${staff}`)
      .send({ system: 'somtoday', version: 'v2', reasons: { MB: 'SICK' } })
      .expect(409);
  });

  it('keeps an unreadable payload in quarantine instead of losing it', async () => {
    const res = await http
      .post('/v1/ingest/somtoday')
      .set('Authorization', `Bearer ${somtodayClient}`)
      .set('Content-Type', 'application/json')
      .send('{"items": [ {"$type": "participatie.RAbsentieMelding", "links": [')
      .expect(202);
    assert.equal(res.body.recordCount, 0);
    expect(res.body.quarantined.map((q: { reason: string }) => q.reason)).toEqual(['MALFORMED_PAYLOAD']);
    const stored = await infra.dataSource.query<{ n: string }[]>(
      `SELECT count(*) AS n FROM quarantined_input WHERE batch_id = $1 AND reason = 'MALFORMED_PAYLOAD'`,
      [res.body.batchId],
    );
    assert.equal(Number(stored[0].n), 1);
  });

  it("refuses unknown systems, another system than the client's, and invalid mappings with coded problems", async () => {
    const unknown = await http
      .post('/v1/ingest/parnassys')
      .set('Authorization', `Bearer ${staff}`)
      .set('Content-Type', 'text/csv')
      .send('a,b\n1,2\n')
      .expect(400);
    assert.equal(unknown.body.code, 'UNKNOWN_SYSTEM');
    const other = await http
      .post('/v1/ingest/magister')
      .set('Authorization', `Bearer ${somtodayClient}`)
      .set('Content-Type', 'application/json')
      .send('{"Items": []}')
      .expect(400);
    assert.equal(other.body.code, 'SYSTEM_OUT_OF_SCOPE');
    const invalid = await http
      .put('/v1/mappings/somtoday')
      .set('Authorization', `Bearer ${staff}`)
      .send({ system: 'somtoday', version: 'v9', reasons: { XX: 'TRUANCY' } })
      .expect(400);
    assert.equal(invalid.body.code, 'MAPPING_INVALID');
    assert.doesNotMatch(JSON.stringify(invalid.body), /TRUANCY/);
    await http
      .put('/v1/mappings/somtoday')
      .set('Authorization', `Bearer ${somtodayClient}`)
      .send({})
      .expect(403);
  });
});
