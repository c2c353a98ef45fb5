import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import {
  type AbuseGateway,
  assertProblem,
  send,
  somtodayItem,
  somtodayPayload,
  startAbuseGateway,
  storedOf,
} from './abuse.test-support.js';

setFlagsFromString('--expose-gc');
/** A full garbage collection, for heap measurements (the runner does not pass --expose-gc). */
const collectGarbage = runInNewContext('gc') as () => void;

/**
 * Issue 12, item 6: one item is bounded (INGEST_ITEM_MAX_BYTES) and so is the memory of one upload
 * (INGEST_MEMORY_BYTES, the rest spooled to disk): an over-long item is a coded 4xx with nothing stored, and a
 * body that never completes an item does not grow the heap with what it sends.
 */
describe('abuse: item size and upload memory (issue 12 item 6)', () => {
  let kp: AbuseGateway;

  beforeAll(async () => {
    kp = await startAbuseGateway({
      INGEST_ITEM_MAX_BYTES: String(64 * 1024),
      INGEST_DOCUMENT_MAX_BYTES: String(256 * 1024),
    });
  });
  afterAll(async () => {
    await kp?.stop();
  });

  it('an item larger than INGEST_ITEM_MAX_BYTES is a 413 ITEM_TOO_LARGE; nothing is stored', async () => {
    const { token, board } = await kp.staff();
    const payload = somtodayPayload([
      somtodayItem(1),
      somtodayItem(2, 'x'.repeat(1024 * 1024)),
      somtodayItem(3),
    ]);
    const answer = await send(kp.port, {
      path: '/v1/ingest/somtoday',
      token,
      headers: { 'content-type': 'application/json' },
      chunks: [payload],
    });
    assertProblem(answer, 413, 'ITEM_TOO_LARGE');
    expect(await storedOf(kp.infra, board)).toEqual({ batches: 0, records: 0, quarantined: 0 });
  });

  it('items within the limit are read as before', async () => {
    const { token, board } = await kp.staff();
    const payload = somtodayPayload([somtodayItem(1), somtodayItem(2, 'y'.repeat(30 * 1024))]);
    const answer = await send(kp.port, {
      path: '/v1/ingest/somtoday',
      token,
      headers: { 'content-type': 'application/json' },
      chunks: [payload],
    });
    assert.equal(answer.status, 202, answer.text);
    assert.equal((await storedOf(kp.infra, board)).records, 2);
  });

  it('a body that never completes an item: bounded heap while 48 MB arrive, then 413 ITEM_TOO_LARGE', async () => {
    const { token, board } = await kp.staff();
    const piece = 'z'.repeat(1024 * 1024);
    const chunks = [`{"items":[${JSON.stringify(somtodayItem(1))},{"opmerkingen":"`];
    for (let i = 0; i < 48; i++) chunks.push(piece);
    chunks.push('"}]}');
    collectGarbage();
    const baseline = process.memoryUsage().heapUsed;
    let peak = baseline;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().heapUsed);
    }, 5);
    const answer = await send(kp.port, {
      path: '/v1/ingest/somtoday',
      token,
      headers: { 'content-type': 'application/json' },
      chunks: chunks.map((c) => Buffer.from(c)),
      timeoutMs: 120_000,
    });
    clearInterval(sampler);
    const grown = (peak - baseline) / 1024 / 1024;
    // The client's pieces are Buffers outside the heap; the server must hold neither the body nor the item.
    assert.ok(
      grown < 24,
      `heap grew by ${grown.toFixed(1)} MB while 48 MB arrived (status ${answer.status})`,
    );
    assertProblem(answer, 413, 'ITEM_TOO_LARGE');
    expect(await storedOf(kp.infra, board)).toEqual({ batches: 0, records: 0, quarantined: 0 });
  });

  it('a payload of a format read whole beyond INGEST_DOCUMENT_MAX_BYTES is a 413 DOCUMENT_TOO_LARGE', async () => {
    const { token, board } = await kp.staff();
    const row = (i: number): string =>
      `<Verantwoording><verantwoording_id>${900_000 + i}</verantwoording_id><stamnummer>21457</stamnummer>` +
      `<agendaitem_id>${5_500_000 + i}</agendaitem_id><moment>2025-10-14T08:30:00</moment><lesuur>2</lesuur>` +
      `<aanwezigheidsreden_code>LO</aanwezigheidsreden_code><aanwezigheidsreden_geoorloofd>0</aanwezigheidsreden_geoorloofd>` +
      `<genoteerd_door>1032</genoteerd_door><genoteerd_op>2025-10-14T08:41:12</genoteerd_op><opmerking></opmerking></Verantwoording>`;
    const rows = Array.from({ length: 1_200 }, (_, i) => row(i)).join('');
    const xml = `<?xml version="1.0" encoding="UTF-8"?><Response><Result>True</Result><Table><Verantwoordingen>${rows}</Verantwoordingen></Table></Response>`;
    assert.ok(xml.length > 256 * 1024);
    const answer = await send(kp.port, {
      path: '/v1/ingest/magister-mws',
      token,
      headers: { 'content-type': 'application/xml' },
      chunks: [xml],
    });
    assertProblem(answer, 413, 'DOCUMENT_TOO_LARGE');
    expect(await storedOf(kp.infra, board)).toEqual({ batches: 0, records: 0, quarantined: 0 });
  });

  it('a CSV row larger than INGEST_ITEM_MAX_BYTES (a quote never closed) is a 413 ITEM_TOO_LARGE', async () => {
    const { token, board } = await kp.staff();
    const header =
      'pupil_id,leerlingnummer,brin,vestiging,date,day_part,start,end,kind,reason_code,authorised,registered_via\r\n';
    const good = '777001,1402,99XX,01,2026-01-12,ochtend,,,sick,Z,true,report\r\n';
    const open = `777002,1403,99XX,01,2026-01-12,ochtend,,,sick,"${'q'.repeat(200 * 1024)}`;
    const answer = await send(kp.port, {
      path: '/v1/ingest/csv',
      token,
      headers: { 'content-type': 'text/csv' },
      chunks: [header + good, open],
    });
    assertProblem(answer, 413, 'ITEM_TOO_LARGE');
    expect(await storedOf(kp.infra, board)).toEqual({ batches: 0, records: 0, quarantined: 0 });
  });
});
