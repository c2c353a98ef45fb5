import assert from 'node:assert/strict';
import { createServer, request } from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { FixedClock } from '#domain';
import { DuoRodConnector, type DuoRodConnectorOptions } from '#connector-duo-rod';
import { type DevPki, createDevPki } from '#runtime';
import { createDuoRegister, type DuoRegister, type DuoServer, startDuoServer } from './index.js';
import {
  DUO_OIN,
  SCHOOL_OIN,
  bodyOf,
  contextOf,
  fullFields,
  payloadOf,
  signMessage,
  unsignedMessage,
} from './duo.test-support.js';

let pki: DevPki;
/** The register's clock: the contexts' sentAt (2026-02-02T09:00Z) is its now, so timestamps are current. */
const clock = new FixedClock(new Date('2026-02-02T09:00:00Z'));
beforeAll(async () => {
  // Valid both at the register's fixed clock and now (TLS checks validity against the real time).
  pki = await createDevPki({ oin: SCHOOL_OIN, notBefore: new Date('2020-01-01T00:00:00Z'), validDays: 7300 });
});

const SENT_BY = { party: 'settings', oin: SCHOOL_OIN };

function connector(endpoint: string, overrides: Partial<DuoRodConnectorOptions> = {}): DuoRodConnector {
  return new DuoRodConnector({
    endpoint,
    duoOin: DUO_OIN,
    senderOin: SCHOOL_OIN,
    tls: { cert: pki.client.cert, key: pki.client.key, ca: pki.ca.cert },
    // The first exchange pays the TLS handshake and the register's first schema compile: room on a busy machine.
    timeoutMs: 15_000,
    clock,
    ...overrides,
  });
}

describe('DuoRodConnector → DUO register stand-in over two-way TLS, signed both ways', () => {
  let register: DuoRegister;
  let server: DuoServer;
  beforeAll(async () => {
    register = createDuoRegister({
      duoOin: DUO_OIN,
      clock,
      stepMs: 60_000,
      trustedCa: pki.ca.cert,
      signing: pki.duo,
    });
    server = await startDuoServer({ tls: { ...pki.server, ca: pki.ca.cert }, register });
  });
  afterAll(() => server.close());

  it('registers, updates the end date, withdraws and sees the municipal statuses', async () => {
    const duo = connector(server.url, { clock });
    const registered = await duo.send(contextOf(), payloadOf(fullFields()));
    expect(registered).toEqual({ ok: true, externalRef: '100001', status: 'REGISTERED', sentBy: SENT_BY });

    const second = await duo.send(
      contextOf({ reportId: 'report-2', idempotencyKey: 'report-2:DUO:REGISTER' }),
      payloadOf({ ...fullFields(), 'absence.endDate': null }),
    );
    expect(second).toEqual({ ok: true, externalRef: '100002', status: 'REGISTERED', sentBy: SENT_BY });

    const updated = await duo.send(
      contextOf({
        reportId: 'report-2',
        idempotencyKey: 'report-2:DUO:UPDATE:1',
        operation: 'UPDATE',
        externalRef: '100002',
      }),
      payloadOf({ 'absence.endDate': '2026-02-06', 'absence.hours': 19 }),
    );
    expect(updated).toEqual({ ok: true, externalRef: '100002', status: 'REGISTERED', sentBy: SENT_BY });
    const report2 = register.reports().find((r) => r.reportNumber === '100002')!;
    assert.equal(report2.endDate, '2026-02-06');
    assert.equal(report2.hours, 19);
    assert.equal(report2.updates, 1);

    const withdrawn = await duo.send(
      contextOf({
        reportId: 'report-2',
        idempotencyKey: 'report-2:DUO:WITHDRAW',
        operation: 'WITHDRAW',
        externalRef: '100002',
      }),
      // The dispatcher sends the withdrawal report's fields; the withdrawal message needs none of them.
      payloadOf({ 'absence.kind': '16U_MINDERJARIG', 'absence.beginDate': '2026-01-05' }),
    );
    expect(withdrawn).toEqual({ ok: true, externalRef: '100002', status: 'WITHDRAWN', sentBy: SENT_BY });

    const since = new Date('2026-02-02T08:00:00Z');
    const first = await duo.fetchStatusChanges(since);
    expect(first.changes.map((c) => [c.externalRef, c.status])).toEqual([
      ['100001', 'REGISTERED'],
      ['100002', 'REGISTERED'],
      ['100002', 'WITHDRAWN'],
    ]);

    clock.advanceMs(2 * 60_000);
    const next = await duo.fetchStatusChanges(first.until);
    expect(next.changes).toEqual([
      { externalRef: '100001', status: 'IN_BEHANDELING', at: '2026-02-02T09:01:00.000Z' },
      {
        externalRef: '100001',
        status: 'AFGESLOTEN',
        at: '2026-02-02T09:02:00.000Z',
        closingReason: 'GEEN_VERZUIM_LEGITIEM_AFWEZIG',
        closingExplanation: 'GEEN_ACTIE_MEER',
        contact: 'Leerplichtambtenaar (simulator)',
      },
    ]);
    const nothing = await duo.fetchStatusChanges(next.until);
    expect(nothing).toEqual({ changes: [], until: next.until });

    const stats = register.stats();
    assert.equal(stats.registered, 2);
    assert.equal(stats.duplicateRegistrations, 0);
    assert.equal(stats.rejected, 0);
  });

  it('a retry with the same idempotency key gets the same report number and no second registration', async () => {
    register.reset();
    const duo = connector(server.url);
    const context = contextOf({ reportId: 'report-9', idempotencyKey: 'report-9:DUO:REGISTER' });
    const first = await duo.send(context, payloadOf(fullFields()));
    const again = await duo.send({ ...context, attempt: 2 }, payloadOf(fullFields()));
    expect(again).toEqual(first);
    assert.equal(register.stats().registered, 1);
    assert.equal(register.stats().repeatedMessages, 1);
  });

  it('lose-response: registered but the answer fails; the retry with the same MessageID gets the same number', async () => {
    for (const mode of ['http500', 'drop'] as const) {
      register.reset();
      register.setMisbehaviour({ loseResponse: 1, loseResponseMode: mode, maxInjections: 1 });
      const duo = connector(server.url);
      const context = contextOf({ reportId: `lost-${mode}`, idempotencyKey: `lost-${mode}:DUO:REGISTER` });
      const lost = await duo.send(context, payloadOf(fullFields()));
      assert.equal(lost.ok, false);
      assert.ok(!lost.ok && lost.retryable, `${mode}: a lost answer is retryable`);
      const retried = await duo.send({ ...context, attempt: 2 }, payloadOf(fullFields()));
      expect(retried).toEqual({ ok: true, externalRef: '100001', status: 'REGISTERED', sentBy: SENT_BY });
      const stats = register.stats();
      assert.equal(stats.registered, 1);
      assert.equal(stats.duplicateRegistrations, 0);
      assert.equal(stats.injected.loseResponse, 1);
    }
  });

  it('duplicate-delivery: the feed repeats every change, the connector reports each once', async () => {
    register.reset();
    const duo = connector(server.url);
    await duo.send(contextOf(), payloadOf(fullFields()));
    register.setMisbehaviour({ duplicateDelivery: true });
    const { changes } = await duo.fetchStatusChanges(new Date('2026-01-01T00:00:00Z'));
    assert.equal(changes.length, 1);
    assert.equal(register.stats().injected.duplicateDelivery, 1);
  });

  it('a validation refusal is permanent and names the rule, not the value', async () => {
    register.reset();
    const duo = connector(server.url);
    const result = await duo.send(contextOf(), payloadOf({ ...fullFields(), 'pupil.bsn': '123456789' }));
    assert.equal(result.ok, false);
    assert.ok(!result.ok);
    assert.equal(result.retryable, false);
    assert.equal(result.code, 'DUO_VALIDATION');
    assert.match(result.reason, /^F104: /);
    assert.ok(!result.reason.includes('123456789'));
  });

  it('the register validates every body the connector makes against the reconstructed schema', async () => {
    register.reset();
    const duo = connector(server.url);
    const variants: Record<string, unknown>[] = [
      fullFields(),
      { ...fullFields(), 'pupil.bsn': undefined, 'pupil.onderwijsnummer': '101234567' },
      {
        ...fullFields(),
        'education.niveau': 2,
        'education.leerweg': 'BBL',
        'education.soort': 'BVE',
        'education.vorm': 'DT',
      },
      { ...fullFields(), 'absence.perDay': [{ date: '2026-01-06', dayParts: ['ochtend'] }] },
      {
        'pupil.bsn': '123456782',
        'school.brin': '99XX',
        'absence.beginDate': '2026-01-05',
        'absence.kind': 'LUXE',
      },
    ];
    for (const [at, fields] of variants.entries()) {
      const defined = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
      const result = await duo.send(
        contextOf({ reportId: `v-${at}`, idempotencyKey: `v-${at}:DUO:REGISTER` }),
        payloadOf(defined),
      );
      assert.ok(result.ok, JSON.stringify(result));
    }
    assert.equal(register.stats().rejected, 0);
  });

  it('an expired message (sent 11 minutes ago) is refused with wsu:MessageExpired: sign again and retry', async () => {
    register.reset();
    const result = await connector(server.url).send(
      contextOf({ sentAt: new Date(clock.now().getTime() - 11 * 60_000) }),
      payloadOf(fullFields()),
    );
    assert.ok(!result.ok);
    expect([result.code, result.retryable]).toEqual(['DUO_SECURITY_MESSAGE_EXPIRED', true]);
    assert.equal(register.stats().registered, 0);
  });

  it('TLS with one party’s certificate and a signature by another: wsse:FailedAuthentication', async () => {
    register.reset();
    const other = await pki.issueClient({ oin: '00000001111111110000' });
    // Signed by the other party (whose OIN is also in wsa:From), over a TLS connection of the school.
    const xml = signMessage(unsignedMessage({ fromOin: '00000001111111110000' }), other, {
      created: clock.now(),
    });
    const answer = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = request(server.url, {
        method: 'POST',
        cert: pki.client.cert,
        key: pki.client.key,
        ca: pki.ca.cert,
        headers: { 'Content-Type': 'text/xml' },
      });
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() }));
      });
      req.on('error', reject);
      req.end(xml);
    });
    assert.equal(answer.status, 500);
    assert.equal(bodyOf(answer.text)['Fault']?.['faultcode'], 'wsse:FailedAuthentication');
    const [seen] = register.messages();
    expect([seen.tlsOin, seen.refusedWith]).toEqual([SCHOOL_OIN, 'wsse:FailedAuthentication']);
  });

  it('an answer signed with a certificate DUO’s CA did not issue is not trusted (retryable)', async () => {
    const impostor = await pki.foreignClient({ oin: DUO_OIN });
    const fake = createDuoRegister({ duoOin: DUO_OIN, clock, trustedCa: pki.ca.cert, signing: impostor });
    const fakeServer = await startDuoServer({
      tls: { ...pki.server, ca: pki.ca.cert },
      register: fake,
      adminPort: false,
    });
    try {
      const result = await connector(fakeServer.url).send(contextOf(), payloadOf(fullFields()));
      assert.ok(!result.ok);
      expect([result.code, result.retryable]).toEqual(['DUO_ANSWER_SIGNATURE_INVALID', true]);
    } finally {
      await fakeServer.close();
    }
  });

  it('injected HTTP 500 is retryable; the register counts it', async () => {
    register.reset();
    register.setMisbehaviour({ http500: 1 });
    const result = await connector(server.url).send(contextOf(), payloadOf(fullFields()));
    expect(result).toEqual({
      ok: false,
      retryable: true,
      code: 'DUO_HTTP_500',
      reason: 'DUO answered HTTP 500',
    });
    assert.equal(register.stats().injected.http500, 1);
    assert.equal(register.stats().registered, 0);
  });

  it('a register that never answers gives DUO_TIMEOUT (retryable)', async () => {
    register.reset();
    register.setMisbehaviour({ timeout: 'never' });
    const result = await connector(server.url, { timeoutMs: 200 }).send(contextOf(), payloadOf(fullFields()));
    assert.equal(result.ok, false);
    assert.ok(!result.ok && result.retryable && result.code === 'DUO_TIMEOUT');
    register.close();
  });

  it('status fetch failures throw a coded, classified error', async () => {
    register.reset();
    register.setMisbehaviour({ http500: 1 });
    await assert.rejects(connector(server.url).fetchStatusChanges(new Date(0)), {
      code: 'DUO_HTTP_500',
      retryable: true,
    });
    register.reset();
  });

  it('a client certificate from another CA is refused (403 + F201): permanent DUO_NOT_AUTHORISED', async () => {
    const foreign = await pki.foreignClient({ oin: SCHOOL_OIN });
    const duo = connector(server.url, { tls: { ...foreign, ca: pki.ca.cert } });
    const result = await duo.send(contextOf(), payloadOf(fullFields()));
    assert.equal(result.ok, false);
    assert.ok(!result.ok);
    assert.equal(result.retryable, false, result.reason);
    assert.equal(result.code, 'DUO_NOT_AUTHORISED');
    assert.match(result.reason, /^F201: /);
  });

  it('a server certificate from an untrusted CA is refused: permanent DUO_TLS', async () => {
    const other = await createDevPki();
    const duo = connector(server.url, {
      tls: { cert: pki.client.cert, key: pki.client.key, ca: other.ca.cert },
    });
    const result = await duo.send(contextOf(), payloadOf(fullFields()));
    assert.ok(!result.ok && !result.retryable && result.code === 'DUO_TLS');
  });

  it('wsa:From that does not match the certificate OIN is refused (wsse:FailedAuthentication, permanent)', async () => {
    register.reset();
    const duo = connector(server.url, { senderOin: '00000001111111110000' });
    const result = await duo.send(contextOf(), payloadOf(fullFields()));
    assert.ok(!result.ok);
    expect([result.code, result.retryable]).toEqual(['DUO_SECURITY_FAILED_AUTHENTICATION', false]);
  });
});

describe('DuoRodConnector transport against a bare https server', () => {
  let url: string;
  let answer: { status: number; body: string } = { status: 200, body: '' };
  let close: () => Promise<void>;
  beforeAll(async () => {
    const server = createServer(
      { ...pki.server, ca: pki.ca.cert, requestCert: true, rejectUnauthorized: true },
      (req, res) => {
        req.resume();
        req.on('end', () => {
          res.writeHead(answer.status, { 'Content-Type': 'text/xml' });
          res.end(answer.body);
        });
      },
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/rod`;
    close = () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
  });
  afterAll(() => close());

  const cases: { status: number; body: string; expected: { retryable: boolean; code: string } }[] = [
    { status: 500, body: 'oops', expected: { retryable: true, code: 'DUO_HTTP_500' } },
    { status: 503, body: '', expected: { retryable: true, code: 'DUO_HTTP_503' } },
    { status: 408, body: '', expected: { retryable: true, code: 'DUO_HTTP_408' } },
    { status: 429, body: '', expected: { retryable: true, code: 'DUO_HTTP_429' } },
    { status: 400, body: '', expected: { retryable: false, code: 'DUO_HTTP_400' } },
    { status: 404, body: '', expected: { retryable: false, code: 'DUO_HTTP_404' } },
    {
      status: 200,
      body: '<html>not soap</html>',
      expected: { retryable: false, code: 'DUO_UNPARSEABLE_RESPONSE' },
    },
    {
      status: 500,
      body: '<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><s:Fault><faultcode>s:Server</faultcode><faultstring>down</faultstring></s:Fault></s:Body></s:Envelope>',
      expected: { retryable: true, code: 'DUO_SOAP_FAULT_SERVER' },
    },
    {
      status: 500,
      body: '<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><s:Fault><faultcode>s:Client</faultcode><faultstring>bad</faultstring></s:Fault></s:Body></s:Envelope>',
      expected: { retryable: false, code: 'DUO_SOAP_FAULT_CLIENT' },
    },
  ];
  for (const { status, body, expected } of cases)
    it(`HTTP ${status} ${body.slice(0, 20) || '(empty)'} → ${expected.code}`, async () => {
      answer = { status, body };
      const result = await connector(url).send(contextOf(), payloadOf(fullFields()));
      assert.equal(result.ok, false);
      assert.ok(!result.ok);
      expect({ retryable: result.retryable, code: result.code }).toEqual(expected);
    });

  it('connection refused is retryable', async () => {
    const result = await connector('https://127.0.0.1:1/rod').send(contextOf(), payloadOf(fullFields()));
    assert.ok(!result.ok && result.retryable && result.code === 'DUO_CONNECTION');
  });

  it('a bad payload never reaches the wire: coded and permanent', async () => {
    const result = await connector(url).send(
      contextOf(),
      payloadOf({ ...fullFields(), 'absence.kind': 'NONSENSE' }),
    );
    expect(result.ok ? null : [result.code, result.retryable]).toEqual(['DUO_UNKNOWN_REPORT_KIND', false]);
  });
});
