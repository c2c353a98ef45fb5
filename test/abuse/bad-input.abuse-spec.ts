import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { aCanonicalRecord } from '#testing';
import {
  type AbuseGateway,
  assertProblem,
  send,
  somtodayItem,
  somtodayPayload,
  startAbuseGateway,
  storedOf,
} from './abuse.test-support.js';

const MWS = `<?xml version="1.0" encoding="UTF-16"?>
<Response><Result>True</Result><Table><Verantwoordingen><Verantwoording>
<verantwoording_id>884213</verantwoording_id><stamnummer>21457</stamnummer><agendaitem_id>5512093</agendaitem_id>
<moment>2025-10-14T08:30:00</moment><lesuur>2</lesuur><aanwezigheidsreden_code>LO</aanwezigheidsreden_code>
<aanwezigheidsreden_geoorloofd>0</aanwezigheidsreden_geoorloofd><genoteerd_door>1032</genoteerd_door>
<genoteerd_op>2025-10-14T08:41:12</genoteerd_op><opmerking></opmerking>
</Verantwoording></Verantwoordingen></Table></Response>`;

/** UTF-16 little endian with its byte order mark, as Windows tools write it. */
const utf16le = (text: string): Buffer =>
  Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);

/** A policy whose aliases expand a few lines into billions of nodes. */
const ALIAS_BOMB = [
  'a: &a ["x","x","x","x","x","x","x","x","x"]',
  'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]',
  'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]',
  'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]',
  'e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]',
  'f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]',
  'g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]',
  'h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]',
  'i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]',
].join('\n');

/**
 * Issue 12, item 8: input that answered 500 is a coded 4xx problem+json (or a quarantined item), and nothing is
 * half-stored. PGlite by default; PostgreSQL + RabbitMQ when DATABASE_URL / AMQP_URL are set.
 */
describe('abuse: bad input is a coded 4xx, never a 500 (issue 12 item 8)', () => {
  let kp: AbuseGateway;

  beforeAll(async () => {
    kp = await startAbuseGateway();
  });
  afterAll(async () => {
    await kp?.stop();
  });

  const json = { 'content-type': 'application/json' };

  it('deep JSON to /v1/records: 400 JSON_TOO_DEEP', async () => {
    const { token, board } = await kp.staff();
    const answer = await send(kp.port, {
      path: '/v1/records',
      token,
      headers: json,
      chunks: [`{"records":[${'['.repeat(5_000)}${']'.repeat(5_000)}]}`],
    });
    assertProblem(answer, 400, 'JSON_TOO_DEEP');
    expect(await storedOf(kp.infra, board)).toEqual({ batches: 0, records: 0, quarantined: 0 });
  });

  it('"\\u0000" in a JSON string of /v1/records: 400 NUL_CHARACTER, nothing stored', async () => {
    const { token, board } = await kp.staff();
    const record = aCanonicalRecord({ recordId: 'nul-record', reasonCode: 'O\u0000N' });
    const answer = await send(kp.port, {
      path: '/v1/records',
      token,
      headers: json,
      chunks: [JSON.stringify({ records: [aCanonicalRecord({ recordId: 'nul-before' }), record] })],
    });
    assertProblem(answer, 400, 'NUL_CHARACTER');
    expect(await storedOf(kp.infra, board)).toEqual({ batches: 0, records: 0, quarantined: 0 });
  });

  it('"\\u0000" in a JSON string of an ingest payload: 400 NUL_CHARACTER, nothing stored', async () => {
    const { token, board } = await kp.staff();
    const payload = somtodayPayload([somtodayItem(1), somtodayItem(2, 'bad\u0000remark')]);
    assert.ok(payload.includes('\\u0000'));
    const answer = await send(kp.port, {
      path: '/v1/ingest/somtoday',
      token,
      headers: json,
      chunks: [payload],
    });
    assertProblem(answer, 400, 'NUL_CHARACTER');
    expect(await storedOf(kp.infra, board)).toEqual({ batches: 0, records: 0, quarantined: 0 });
  });

  it('NUL bytes in an ingest body (CSV and JSON): 400 NUL_CHARACTER, nothing stored', async () => {
    const { token, board } = await kp.staff();
    const csv = 'leerling,datum,code\r\n12\u00003,2026-03-02,ON\r\n';
    const a = await send(kp.port, {
      path: '/v1/ingest/csv',
      token,
      headers: { 'content-type': 'text/csv' },
      chunks: [Buffer.from(csv, 'utf8')],
    });
    assertProblem(a, 400, 'NUL_CHARACTER');
    const raw = Buffer.from(
      somtodayPayload([somtodayItem(1, 'PLACEHOLDER')]).replace('PLACEHOLDER', '\u0000'),
    );
    const b = await send(kp.port, { path: '/v1/ingest/somtoday', token, headers: json, chunks: [raw] });
    assertProblem(b, 400, 'NUL_CHARACTER');
    expect(await storedOf(kp.infra, board)).toEqual({ batches: 0, records: 0, quarantined: 0 });
  });

  it('gzip garbage: 400 CONTENT_ENCODING_INVALID on ingest and on a JSON endpoint', async () => {
    const { token, board } = await kp.staff();
    const garbage = Buffer.concat([Buffer.from([0x1f, 0x8b, 0x08, 0x00]), randomBytes(4_000)]);
    const a = await send(kp.port, {
      path: '/v1/ingest/somtoday',
      token,
      headers: { ...json, 'content-encoding': 'gzip' },
      chunks: [garbage],
    });
    assertProblem(a, 400, 'CONTENT_ENCODING_INVALID');
    const b = await send(kp.port, {
      path: '/v1/records',
      token,
      headers: { ...json, 'content-encoding': 'gzip' },
      chunks: [garbage],
    });
    assertProblem(b, 400, 'CONTENT_ENCODING_INVALID');
    expect(await storedOf(kp.infra, board)).toEqual({ batches: 0, records: 0, quarantined: 0 });
  });

  it('UTF-16 XML to magister-mws: 415 ENCODING_UNSUPPORTED, nothing stored', async () => {
    const { token, board } = await kp.staff();
    const answer = await send(kp.port, {
      path: '/v1/ingest/magister-mws',
      token,
      headers: { 'content-type': 'application/xml' },
      chunks: [utf16le(MWS)],
    });
    assertProblem(answer, 415, 'ENCODING_UNSUPPORTED');
    expect(await storedOf(kp.infra, board)).toEqual({ batches: 0, records: 0, quarantined: 0 });
  });

  it('a YAML alias bomb as a policy: 400 with the policy problems, nothing stored', async () => {
    const officer = await kp.gateway.issuer.issue({ role: 'privacy_officer', sub: 'po', board: 'ABUSE-PO' });
    const answer = await send(kp.port, {
      path: '/v1/privacy/policies',
      token: officer,
      headers: json,
      chunks: [JSON.stringify({ text: ALIAS_BOMB })],
      timeoutMs: 20_000,
    });
    assertProblem(answer, 400, 'POLICY_INVALID');
    const issues = (answer.body?.['issues'] ?? []) as { code: string }[];
    assert.ok(
      issues.some((i) => i.code === 'YAML_ALIAS_LIMIT'),
      JSON.stringify(issues),
    );
    const rows = await kp.infra.dataSource.query<{ n: string }[]>(
      `SELECT count(*) AS n FROM privacy_policy_version`,
    );
    assert.equal(Number(rows[0].n), 0);
  });
});
