import assert from 'node:assert/strict';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type JWK, exportJWK, generateKeyPair } from 'jose';
import { FixedClock, type LeerplichtInboxWriter, UnavailableError } from '#domain';
import { decryptAndVerify } from './jose-profile.js';
import { type LeerplichtEndpointInfo, LeerplichtConnector } from './leerplicht.connector.js';
import { FULL_PAYLOAD, context, released } from './report.spec.js';

const signer = await generateKeyPair('ES256', { extractable: true });
const signerPublic = await exportJWK(signer.publicKey);
const recipient = await generateKeyPair('ECDH-ES+A256KW', { crv: 'P-256', extractable: true });
const recipientPublic: JWK = { ...(await exportJWK(recipient.publicKey)), kid: '0344-1' };

type Handler = (req: IncomingMessage, body: string, res: ServerResponse) => void;
let handler: Handler = (_req, _body, res) => res.end();
const seen: { headers: IncomingMessage['headers']; body: string }[] = [];
let server: Server;
let base = '';

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      seen.push({ headers: req.headers, body });
      handler(req, body, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

function reply(status: number, body: unknown): Handler {
  return (_req, _body, res) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
}

class MemoryInbox implements LeerplichtInboxWriter {
  readonly entries: Parameters<LeerplichtInboxWriter['put']>[0][] = [];
  failWith: Error | null = null;
  put(entry: Parameters<LeerplichtInboxWriter['put']>[0]): Promise<void> {
    if (this.failWith) return Promise.reject(this.failWith);
    this.entries.push(entry);
    return Promise.resolve();
  }
}

function connector(endpoint: LeerplichtEndpointInfo | null, inbox = new MemoryInbox(), timeoutMs = 2000) {
  return new LeerplichtConnector({
    signingKey: { key: signer.privateKey, kid: 'ketenpoort-1' },
    endpointOf: (id) => (id === '0344' ? endpoint : null),
    inbox,
    timeoutMs,
    clock: new FixedClock(new Date('2026-03-02T09:00:05.000Z')),
  });
}

const webhook = (): LeerplichtEndpointInfo => ({
  channel: 'webhook',
  webhookUrl: `${base}/leerplicht/0344/reports`,
  publicJwk: recipientPublic,
});

describe('LeerplichtConnector', () => {
  it('inbox channel: stores the sealed report with the idempotency key and answers SENT', async () => {
    const inbox = new MemoryInbox();
    const c = connector({ channel: 'inbox', publicJwk: recipientPublic }, inbox);
    const result = await c.send(context(), released(FULL_PAYLOAD));
    expect(result).toEqual({ ok: true, status: 'SENT', externalRef: null });
    assert.equal(inbox.entries.length, 1);
    const entry = inbox.entries[0];
    assert.equal(entry.gemeentecode, '0344');
    assert.equal(entry.reportId, 'r1');
    assert.equal(entry.board, 'B1');
    assert.equal(entry.idempotencyKey, 'lp-r1-LEERPLICHT-REGISTER');
    assert.equal(entry.at.toISOString(), '2026-03-02T09:00:05.000Z');
    const verified = await decryptAndVerify(entry.jwe, recipient.privateKey, signerPublic);
    assert.equal(verified.jti, 'lp-r1-LEERPLICHT-REGISTER');
    assert.equal(verified.report.pupil?.name, 'Jan Jansen');
  });

  it('inbox channel: a failing store is retryable as the store classifies it', async () => {
    const inbox = new MemoryInbox();
    inbox.failWith = new UnavailableError('DB_UNAVAILABLE', 'down');
    const c = connector({ channel: 'inbox', publicJwk: recipientPublic }, inbox);
    const result = await c.send(context(), released(FULL_PAYLOAD));
    expect(result).toEqual({
      ok: false,
      retryable: true,
      code: 'DB_UNAVAILABLE',
      reason: 'De leerplicht-inbox nam de melding niet aan.',
    });
    inbox.failWith = new Error('boom');
    const other = await c.send(context(), released(FULL_PAYLOAD));
    assert.ok(!other.ok && other.retryable && other.code === 'LEERPLICHT_INBOX_UNAVAILABLE');
  });

  it('webhook: one POST of the compact JWE with content type and Idempotency-Key; 2xx is SENT with the reference', async () => {
    handler = reply(202, { received: true, reference: 'LP-0344-000001' });
    seen.length = 0;
    const result = await connector(webhook()).send(context(), released(FULL_PAYLOAD));
    expect(result).toEqual({ ok: true, status: 'SENT', externalRef: 'LP-0344-000001' });
    assert.equal(seen.length, 1);
    assert.equal(seen[0].headers['content-type'], 'application/jose');
    assert.equal(seen[0].headers['idempotency-key'], 'lp-r1-LEERPLICHT-REGISTER');
    const verified = await decryptAndVerify(seen[0].body, recipient.privateKey, signerPublic);
    assert.equal(verified.report.reportId, 'r1');
  });

  it('webhook: 409 (already have it) is ok', async () => {
    handler = reply(409, { reason: 'already registered' });
    const result = await connector(webhook()).send(context(), released(FULL_PAYLOAD));
    expect(result).toEqual({ ok: true, status: 'SENT', externalRef: null });
  });

  for (const status of [500, 503, 429, 408]) {
    it(`webhook: ${status} is retryable`, async () => {
      handler = reply(status, { reason: 'busy' });
      const result = await connector(webhook()).send(context(), released(FULL_PAYLOAD));
      expect(result).toEqual({
        ok: false,
        retryable: true,
        code: `LEERPLICHT_HTTP_${status}`,
        reason: 'busy',
      });
    });
  }

  it('webhook: 400 is permanent with the receiver reason (long digit runs masked)', async () => {
    handler = reply(400, { error: 'SCHEMA_INVALID', reason: 'bsn 123456782 onbekend' });
    const result = await connector(webhook()).send(context(), released(FULL_PAYLOAD));
    expect(result).toEqual({
      ok: false,
      retryable: false,
      code: 'LEERPLICHT_HTTP_400',
      reason: 'bsn … onbekend',
    });
    handler = (_req, _body, res) => {
      res.writeHead(403);
      res.end('not json');
    };
    const bare = await connector(webhook()).send(context(), released(FULL_PAYLOAD));
    expect(bare).toEqual({
      ok: false,
      retryable: false,
      code: 'LEERPLICHT_HTTP_403',
      reason: 'De gemeente antwoordde met HTTP 403.',
    });
  });

  it('webhook: no answer within timeoutMs is a retryable LEERPLICHT_TIMEOUT', async () => {
    handler = () => undefined;
    const result = await connector(webhook(), new MemoryInbox(), 150).send(context(), released(FULL_PAYLOAD));
    assert.ok(!result.ok);
    assert.equal(result.code, 'LEERPLICHT_TIMEOUT');
    assert.equal(result.retryable, true);
  });

  it('webhook: connection refused is a retryable LEERPLICHT_UNREACHABLE', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const result = await connector({ ...webhook(), webhookUrl: `http://127.0.0.1:${port}/x` }).send(
      context(),
      released(FULL_PAYLOAD),
    );
    assert.ok(!result.ok && result.retryable && result.code === 'LEERPLICHT_UNREACHABLE');
  });

  it('no endpoint, channel none, no key or no webhook URL: permanent coded errors', async () => {
    const payload = released(FULL_PAYLOAD);
    const none = await connector(null).send(context(), payload);
    assert.ok(!none.ok && !none.retryable && none.code === 'LEERPLICHT_NO_ENDPOINT');
    const off = await connector({ channel: 'none' }).send(context(), payload);
    assert.ok(!off.ok && !off.retryable && off.code === 'LEERPLICHT_NO_ENDPOINT');
    const keyless = await connector({ channel: 'inbox' }).send(context(), payload);
    assert.ok(!keyless.ok && !keyless.retryable && keyless.code === 'LEERPLICHT_NO_RECIPIENT_KEY');
    const urlless = await connector({ channel: 'webhook', publicJwk: recipientPublic }).send(
      context(),
      payload,
    );
    assert.ok(!urlless.ok && !urlless.retryable && urlless.code === 'LEERPLICHT_NO_ENDPOINT');
  });

  it('a released value of the wrong shape is a permanent LEERPLICHT_PAYLOAD_INVALID naming the path only', async () => {
    const result = await connector({ channel: 'inbox', publicJwk: recipientPublic }).send(
      context(),
      released({ 'absence.hours': 'zeventien' }),
    );
    assert.ok(!result.ok && !result.retryable && result.code === 'LEERPLICHT_PAYLOAD_INVALID');
    assert.ok(result.reason.includes('absence.hours') && !result.reason.includes('zeventien'));
  });

  it('a broken recipient key is a permanent LEERPLICHT_KEY_INVALID', async () => {
    const result = await connector({
      channel: 'inbox',
      publicJwk: { kty: 'EC', crv: 'P-256', x: 'AA', y: 'AA' },
    }).send(context(), released(FULL_PAYLOAD));
    assert.ok(!result.ok && !result.retryable && result.code === 'LEERPLICHT_KEY_INVALID');
  });

  it('fetchStatusChanges answers nothing (status arrives through the gateway)', async () => {
    const since = new Date('2026-01-01T00:00:00Z');
    const answer = await connector(null).fetchStatusChanges(since);
    expect(answer).toEqual({ changes: [], until: since });
    assert.equal(connector(null).destination, 'LEERPLICHT');
  });
});
