import assert from 'node:assert/strict';
import { type IncomingMessage, type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { type JWK, exportJWK, generateKeyPair } from 'jose';
import {
  LeerplichtConnector,
  type LeerplichtReportV1,
  buildLeerplichtReport,
  encryptForRecipient,
  signLeerplichtReport,
} from '#connector-leerplicht';
import { FixedClock, type LeerplichtInboxWriter, type OutboundContext } from '#domain';
import { type ReleasedPayload, parsePolicy, release } from '#privacy';
import { type MunicipalitySimulator, createMunicipalitySimulator } from './municipality-simulator.js';

const POLICY = `
id: sim-spec
version: '1'
effectiveFrom: '2025-08-01'
effectiveUntil: '2027-08-01'
recipients:
  LEERPLICHT: { name: leerplicht }
purposes:
  STATUTORY_REPORT: { description: een verzuimmelding, basis: legal_obligation, legalBasis: LPW art. 21a }
dataCategories:
  identification: [pupil.bsn, pupil.name]
  absence: [absence.kind, absence.beginDate, absence.hours]
rules:
  - id: leerplicht
    effect: permit
    reason: Melding aan leerplicht
    when: { recipients: [LEERPLICHT], purposes: [STATUTORY_REPORT] }
    fields: [identification, absence]
    obligations: { retention: P2Y }
retention:
  default: P1Y
`;
const parsed = parsePolicy(POLICY);
if (!parsed.ok) throw new Error('spec policy invalid');
const payload: ReleasedPayload = release(
  parsed.value,
  {
    recipient: { kind: 'LEERPLICHT' },
    purpose: 'STATUTORY_REPORT',
    pupil: { ageAtDate: 15 },
    payload: { 'pupil.bsn': '123456782', 'pupil.name': 'Jan', 'absence.kind': 'LRV', 'absence.hours': 20 },
  },
  { at: '2026-03-02' },
).released!;

function context(overrides: Partial<OutboundContext> = {}): OutboundContext {
  return {
    idempotencyKey: 'k-1',
    operation: 'REGISTER',
    reportId: 'r1',
    reportKind: 'LRV',
    board: 'B1',
    school: '99XX',
    externalRef: null,
    recipient: { kind: 'LEERPLICHT', id: '0344' },
    attempt: 1,
    sentAt: new Date('2026-03-02T09:00:00.000Z'),
    ...overrides,
  };
}

const ketenpoort = await generateKeyPair('ES256', { extractable: true });
const ketenpoortPublic = await exportJWK(ketenpoort.publicKey);
const impostor = await generateKeyPair('ES256', { extractable: true });

interface GatewayCall {
  readonly method: string;
  readonly url: string;
  readonly authorization: string | undefined;
  readonly body: string;
}
const gatewayCalls: GatewayCall[] = [];
let inboxItems: { reportId: string; jwe: string; storedAt: string }[] = [];
let gatewayStatus = 200;

function listen(server: Server): Promise<string> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`),
    ),
  );
}
function readAll(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

const gateway = createServer((req, res) => {
  void readAll(req).then((body) => {
    gatewayCalls.push({
      method: req.method ?? '',
      url: req.url ?? '',
      authorization: req.headers.authorization,
      body,
    });
    res.writeHead(req.method === 'GET' ? 200 : gatewayStatus, { 'content-type': 'application/json' });
    res.end(JSON.stringify(req.method === 'GET' ? { items: inboxItems } : { ok: true }));
  });
});
let gatewayUrl = '';
let simulator: MunicipalitySimulator;
let simServer: Server;
let simUrl = '';
const clock = new FixedClock(new Date('2026-03-02T10:00:00.000Z'));

beforeAll(async () => {
  gatewayUrl = await listen(gateway);
  simulator = await createMunicipalitySimulator({
    municipalities: ['0344', '0310'],
    ketenpoortPublicJwk: ketenpoortPublic,
    gatewayUrl,
    gatewayToken: 'sim-token',
    clock,
    seed: 7,
    timeoutHoldMs: 5_000,
    autoAdvance: { inBehandelingAfterMs: 60_000, afgeslotenAfterMs: 120_000 },
  });
  simServer = createServer((req, res) => {
    const handler = (req.url ?? '').startsWith('/admin/') ? simulator.handleAdmin : simulator.handle;
    void handler(req, res);
  });
  simUrl = await listen(simServer);
});
afterAll(async () => {
  await simulator.close();
  for (const s of [simServer, gateway]) {
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }
});
beforeEach(() => {
  simulator.setMisbehaviour({
    http500: 0,
    timeout: false,
    slowMs: 0,
    validation: false,
    duplicateDelivery: false,
  });
  gatewayCalls.length = 0;
  gatewayStatus = 200;
});

const noInbox: LeerplichtInboxWriter = { put: () => Promise.reject(new Error('not used')) };

function connector(
  code = '0344',
  timeoutMs = 3_000,
  jwk?: JWK,
  signer = ketenpoort.privateKey,
): LeerplichtConnector {
  return new LeerplichtConnector({
    signingKey: { key: signer, kid: 'ketenpoort-1' },
    endpointOf: () => ({
      channel: 'webhook',
      webhookUrl: `${simUrl}/leerplicht/${code}/reports`,
      publicJwk: jwk ?? simulator.publicJwkOf(code),
    }),
    inbox: noInbox,
    timeoutMs,
  });
}

async function post(
  path: string,
  body: string,
  headers: Record<string, string>,
): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(`${simUrl}${path}`, { method: 'POST', body, headers });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

async function sealedReport(report: LeerplichtReportV1, code: string, jti: string): Promise<string> {
  const jws = await signLeerplichtReport(report, { key: ketenpoort.privateKey, kid: 'ketenpoort-1' }, jti);
  return encryptForRecipient(jws, simulator.publicJwkOf(code));
}

describe('municipality simulator: webhook', () => {
  it('accepts a report from the real connector, answers a reference and keeps it', async () => {
    const before = simulator.stats();
    const result = await connector().send(
      context({ reportId: 'acc-1', idempotencyKey: 'acc-1-key' }),
      payload,
    );
    expect(result).toEqual({ ok: true, status: 'SENT', externalRef: 'LP-0344-000001' });
    const stats = simulator.stats();
    assert.equal(stats.received - before.received, 1);
    assert.equal(stats.accepted - before.accepted, 1);
    const entry = simulator.reports().find((r) => r.reportId === 'acc-1');
    assert.ok(entry);
    assert.equal(entry.via, 'webhook');
    assert.equal(entry.status, 'RECEIVED');
    assert.equal(entry.report.pupil?.name, 'Jan');
  });

  it('is idempotent on Idempotency-Key and counts a second registration under another key', async () => {
    const before = simulator.stats();
    const c = connector();
    const first = await c.send(context({ reportId: 'idem', idempotencyKey: 'idem-key' }), payload);
    const again = await c.send(
      context({ reportId: 'idem', idempotencyKey: 'idem-key', attempt: 2 }),
      payload,
    );
    assert.ok(first.ok && again.ok);
    assert.equal(again.externalRef, first.externalRef);
    let stats = simulator.stats();
    assert.equal(stats.repeatedMessages - before.repeatedMessages, 1);
    assert.equal(stats.accepted - before.accepted, 1);
    assert.equal(stats.duplicateRegistrations, 0);
    await c.send(context({ reportId: 'idem', idempotencyKey: 'idem-other-key' }), payload);
    stats = simulator.stats();
    assert.equal(stats.duplicateRegistrations, 1);
  });

  it('refuses a bad signature, a key for another recipient, a schema violation and a misaddressed report', async () => {
    const badSig = await connector('0344', 3_000, undefined, impostor.privateKey).send(
      context({ reportId: 'bad-sig', idempotencyKey: 'bad-sig' }),
      payload,
    );
    assert.ok(!badSig.ok && !badSig.retryable && badSig.code === 'LEERPLICHT_HTTP_400');
    assert.match(badSig.reason, /signature/);

    const wrongKey = await connector('0344', 3_000, simulator.publicJwkOf('0310')).send(
      context({ reportId: 'wrong-key', idempotencyKey: 'wrong-key' }),
      payload,
    );
    assert.ok(!wrongKey.ok && !wrongKey.retryable && wrongKey.code === 'LEERPLICHT_HTTP_400');
    assert.match(wrongKey.reason, /decrypted/);

    const report = buildLeerplichtReport(context({ reportId: 'schema' }), payload);
    const broken = { ...report, absence: { hours: -1 } } as unknown as LeerplichtReportV1;
    const schema = await post('/leerplicht/0344/reports', await sealedReport(broken, '0344', 'schema-key'), {
      'content-type': 'application/jose',
      'idempotency-key': 'schema-key',
    });
    assert.equal(schema.status, 400);
    assert.equal(schema.json['error'], 'SCHEMA_INVALID');
    assert.match(String(schema.json['reason']), /\/absence\/hours/);

    const elsewhere = buildLeerplichtReport(
      context({ recipient: { kind: 'LEERPLICHT', id: '0310' } }),
      payload,
    );
    const misaddressed = await post(
      '/leerplicht/0344/reports',
      await sealedReport(elsewhere, '0344', 'mis-key'),
      {
        'content-type': 'application/jose',
        'idempotency-key': 'mis-key',
      },
    );
    assert.equal(misaddressed.status, 400);
    assert.equal(misaddressed.json['error'], 'WRONG_RECIPIENT');

    const mismatch = await post('/leerplicht/0344/reports', await sealedReport(report, '0344', 'jti-a'), {
      'content-type': 'application/jose',
      'idempotency-key': 'jti-b',
    });
    assert.equal(mismatch.json['error'], 'IDEMPOTENCY_KEY_MISMATCH');
  });

  it('refuses a missing Idempotency-Key, a wrong media type, other methods and unknown recipients', async () => {
    const jwe = await sealedReport(buildLeerplichtReport(context(), payload), '0344', 'x');
    assert.equal(
      (await post('/leerplicht/0344/reports', jwe, { 'content-type': 'application/jose' })).status,
      400,
    );
    assert.equal(
      (await post('/leerplicht/0344/reports', jwe, { 'content-type': 'text/plain', 'idempotency-key': 'x' }))
        .status,
      415,
    );
    assert.equal(
      (await post('/leerplicht/9999/reports', jwe, { 'content-type': 'application/jose' })).status,
      404,
    );
    assert.equal((await fetch(`${simUrl}/leerplicht/0344/reports`)).status, 405);
    assert.equal((await fetch(`${simUrl}/elsewhere`)).status, 404);
  });
});

describe('municipality simulator: misbehaviour', () => {
  it('http500 answers 500 (retryable for the connector) and counts it', async () => {
    simulator.setMisbehaviour({ http500: 1 });
    const before = simulator.stats().http500;
    const result = await connector().send(context({ reportId: 'e500', idempotencyKey: 'e500' }), payload);
    assert.ok(!result.ok && result.retryable && result.code === 'LEERPLICHT_HTTP_500');
    assert.equal(simulator.stats().http500 - before, 1);
  });

  it('timeout holds the request: the connector times out (retryable)', async () => {
    simulator.setMisbehaviour({ timeout: true });
    const before = simulator.stats().timeouts;
    const result = await connector('0344', 200).send(
      context({ reportId: 'slow', idempotencyKey: 'to' }),
      payload,
    );
    assert.ok(!result.ok && result.retryable && result.code === 'LEERPLICHT_TIMEOUT');
    assert.equal(simulator.stats().timeouts - before, 1);
  });

  it('slow still accepts, later', async () => {
    simulator.setMisbehaviour({ slowMs: 30 });
    const before = simulator.stats().slow;
    const result = await connector().send(
      context({ reportId: 'slow-ok', idempotencyKey: 'slow-ok' }),
      payload,
    );
    assert.ok(result.ok);
    assert.equal(simulator.stats().slow - before, 1);
  });

  it('validation refuses with 400 (permanent)', async () => {
    simulator.setMisbehaviour({ validation: true });
    const result = await connector().send(context({ reportId: 'val', idempotencyKey: 'val' }), payload);
    assert.ok(!result.ok && !result.retryable && result.code === 'LEERPLICHT_HTTP_400');
    assert.equal(simulator.stats().validationRefusals >= 1, true);
  });

  it('the admin API sets and clears misbehaviour and refuses bad values', async () => {
    const set = await post(
      '/admin/leerplicht/misbehaviour',
      JSON.stringify({ http500: 0.5, duplicateDelivery: true }),
      {},
    );
    assert.equal(set.status, 200);
    assert.equal(set.json['http500'], 0.5);
    const bad = await post('/admin/leerplicht/misbehaviour', JSON.stringify({ http500: 2 }), {});
    assert.equal(bad.status, 400);
    assert.equal(bad.json['error'], 'INVALID_MISBEHAVIOUR');
    const cleared = await fetch(`${simUrl}/admin/leerplicht/misbehaviour`, { method: 'DELETE' });
    assert.equal(((await cleared.json()) as Record<string, unknown>)['http500'], 0);
  });
});

describe('municipality simulator: inbox, status and admin', () => {
  it('polls the gateway inbox with the Bearer token, takes the items in and asks since the last one', async () => {
    const report = buildLeerplichtReport(
      context({ recipient: { kind: 'LEERPLICHT', id: '0310' }, reportId: 'inbox-1' }),
      payload,
    );
    inboxItems = [
      {
        reportId: 'inbox-1',
        jwe: await sealedReport(report, '0310', 'inbox-key'),
        storedAt: '2026-03-02T09:00:01.000Z',
      },
    ];
    const first = await post('/admin/leerplicht/0310/poll', '', {});
    expect(first.json).toEqual({ fetched: 1, accepted: 1 });
    assert.equal(gatewayCalls[0].url, '/v1/leerplicht/0310/reports');
    assert.equal(gatewayCalls[0].authorization, 'Bearer sim-token');
    const second = await simulator.poll('0310');
    expect(second).toEqual({ fetched: 1, accepted: 0 });
    assert.equal(gatewayCalls[1].url, '/v1/leerplicht/0310/reports?since=2026-03-02T09%3A00%3A01.000Z');
    assert.equal(simulator.reports().find((r) => r.reportId === 'inbox-1')?.via, 'inbox');
    inboxItems = [];
  });

  it('sends the officer status to the gateway with the token; duplicate-delivery sends it twice', async () => {
    await connector().send(context({ reportId: 'st-1', idempotencyKey: 'st-1' }), payload);
    const body = {
      status: 'AFGESLOTEN',
      closingReason: 'TERUG_NAAR_SCHOOL',
      closingExplanation: 'GEEN_ACTIE_MEER',
      contact: 'A. Ambtenaar',
    };
    const answer = await post('/admin/leerplicht/0344/reports/st-1/status', JSON.stringify(body), {});
    expect(answer.json).toEqual({ status: 'AFGESLOTEN', callbacksDelivered: 1 });
    assert.equal(gatewayCalls.length, 1);
    assert.equal(gatewayCalls[0].method, 'POST');
    assert.equal(gatewayCalls[0].url, '/v1/leerplicht/0344/reports/st-1/status');
    assert.equal(gatewayCalls[0].authorization, 'Bearer sim-token');
    expect(JSON.parse(gatewayCalls[0].body)).toEqual(body);
    assert.equal(simulator.reports().find((r) => r.reportId === 'st-1')?.status, 'AFGESLOTEN');

    simulator.setMisbehaviour({ duplicateDelivery: true });
    const before = simulator.stats().duplicateCallbacks;
    const twice = await simulator.setStatus('0344', 'st-1', { status: 'IN_BEHANDELING' });
    assert.equal(twice, 2);
    assert.equal(gatewayCalls.length, 3);
    assert.equal(simulator.stats().duplicateCallbacks - before, 1);

    gatewayStatus = 503;
    const failed = simulator.stats().statusCallbackFailures;
    simulator.setMisbehaviour({ duplicateDelivery: false });
    assert.equal(await simulator.setStatus('0344', 'st-1', { status: 'IN_BEHANDELING' }), 0);
    assert.equal(simulator.stats().statusCallbackFailures - failed, 1);
  });

  it('refuses an invalid status update and an unknown report', async () => {
    await connector().send(context({ reportId: 'st-2', idempotencyKey: 'st-2' }), payload);
    const noReason = await post(
      '/admin/leerplicht/0344/reports/st-2/status',
      JSON.stringify({ status: 'AFGESLOTEN' }),
      {},
    );
    assert.equal(noReason.status, 400);
    assert.equal(noReason.json['error'], 'INVALID_STATUS');
    const badStatus = await post(
      '/admin/leerplicht/0344/reports/st-2/status',
      JSON.stringify({ status: 'KLAAR' }),
      {},
    );
    assert.equal(badStatus.status, 400);
    const stray = await post(
      '/admin/leerplicht/0344/reports/st-2/status',
      JSON.stringify({ status: 'IN_BEHANDELING', closingReason: 'TERUG_NAAR_SCHOOL' }),
      {},
    );
    assert.equal(stray.status, 400);
    const unknown = await post(
      '/admin/leerplicht/0344/reports/nope/status',
      JSON.stringify({ status: 'IN_BEHANDELING' }),
      {},
    );
    assert.equal(unknown.status, 404);
    const notJson = await post('/admin/leerplicht/0344/reports/st-2/status', '{', {});
    assert.equal(notJson.json['error'], 'INVALID_JSON');
    assert.equal(gatewayCalls.length, 0);
  });

  it('advances automatically on the injected clock: IN_BEHANDELING, then AFGESLOTEN', async () => {
    await connector('0310').send(
      context({
        reportId: 'auto-1',
        idempotencyKey: 'auto-1',
        recipient: { kind: 'LEERPLICHT', id: '0310' },
      }),
      payload,
    );
    const status = (): string | undefined => simulator.reports().find((r) => r.reportId === 'auto-1')?.status;
    clock.advanceMs(59_000);
    await simulator.advance();
    assert.equal(status(), 'RECEIVED');
    clock.advanceMs(1_000);
    await simulator.advance();
    assert.equal(status(), 'IN_BEHANDELING');
    clock.advanceMs(120_000);
    await simulator.advance();
    assert.equal(status(), 'AFGESLOTEN');
    const closing = gatewayCalls
      .filter((c) => c.url === '/v1/leerplicht/0310/reports/auto-1/status')
      .map((c) => JSON.parse(c.body) as { status: string; closingReason?: string });
    expect(closing.map((c) => c.status)).toEqual(['IN_BEHANDELING', 'AFGESLOTEN']);
    assert.equal(closing[1].closingReason, 'TERUG_NAAR_SCHOOL');
  });

  it('serves stats, reports, the JWKS and each public key (never a private one)', async () => {
    const stats = (await (await fetch(`${simUrl}/admin/leerplicht/stats`)).json()) as Record<string, number>;
    assert.equal(typeof stats['received'], 'number');
    assert.equal(stats['duplicateRegistrations'], simulator.stats().duplicateRegistrations);
    const jwks = (await (await fetch(`${simUrl}/admin/leerplicht/jwks`)).json()) as { keys: JWK[] };
    expect(jwks.keys.map((k) => k.kid)).toEqual(['0344-sim', '0310-sim']);
    assert.ok(jwks.keys.every((k) => k.d === undefined));
    const one = (await (await fetch(`${simUrl}/admin/leerplicht/0344/jwk`)).json()) as JWK;
    expect(one).toEqual(simulator.publicJwkOf('0344'));
    const list = (await (await fetch(`${simUrl}/admin/leerplicht/reports`)).json()) as { items: unknown[] };
    assert.equal(list.items.length, simulator.reports().length);
    assert.equal((await fetch(`${simUrl}/admin/leerplicht/nothing`)).status, 404);
  });

  it('verifies against a JWKS URL when given one instead of a key', async () => {
    const jwksServer = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ keys: [{ ...ketenpoortPublic, kid: 'ketenpoort-1' }] }));
    });
    const jwksUrl = await listen(jwksServer);
    const sim = await createMunicipalitySimulator({
      municipalities: ['0344'],
      ketenpoortJwksUrl: `${jwksUrl}/jwks`,
    });
    const server = createServer((req, res) => void sim.handle(req, res));
    const url = await listen(server);
    const c = new LeerplichtConnector({
      signingKey: { key: ketenpoort.privateKey, kid: 'ketenpoort-1' },
      endpointOf: () => ({
        channel: 'webhook',
        webhookUrl: `${url}/leerplicht/0344/reports`,
        publicJwk: sim.publicJwkOf('0344'),
      }),
      inbox: noInbox,
      timeoutMs: 3_000,
    });
    const result = await c.send(context(), payload);
    assert.ok(result.ok);
    await sim.close();
    for (const s of [server, jwksServer]) {
      s.closeAllConnections();
      await new Promise<void>((resolve) => s.close(() => resolve()));
    }
    await assert.rejects(createMunicipalitySimulator({ municipalities: [] }), /ketenpoortPublicJwk/);
  });
});
