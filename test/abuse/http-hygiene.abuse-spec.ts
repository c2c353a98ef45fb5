// Issue 12 item 9: security headers, rate limits on authentication failures and demo tokens, a cap on token
// lifetime, no pupil ids in request logs or unknown paths in 404 titles, owner-only files in DATA_DIR.
import assert from 'node:assert/strict';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SignJWT } from 'jose';
import { type TestDatabase, createTestDatabase, testDatabaseUrl } from '#testing';
import { type GatewayProcess, TEST_KEY, startGatewayProcess } from './support.js';

const ISSUER = 'ketenpoort-local';
const AUDIENCE = 'ketenpoort';
const MAX_LIFETIME = 3600;
const AUTH_FAILURE_LIMIT = 5;
const DEV_TOKENS_LIMIT = 8;
const PUPIL_ID = 'LLN-7310-GEHEIM';
const AUDITOR = { role: 'auditor', sub: 'abuse-auditor', board: 'BOARD-DEMO' };

describe('HTTP hygiene (issue 12, item 9)', () => {
  let root: string;
  let dataDir: string;
  let gateway: GatewayProcess;
  let idpKey: KeyObject;
  let database: TestDatabase | null = null;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'kp-abuse-http-'));
    dataDir = join(root, 'data'); // created by the gateway itself
    const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    idpKey = pair.privateKey;
    // A fresh database on the server when DATABASE_URL is set (CI's PostgreSQL run); embedded PGlite otherwise.
    database = testDatabaseUrl() ? await createTestDatabase() : null;
    gateway = await startGatewayProcess({
      DATA_DIR: dataDir,
      AUTH_LOCAL_ISSUER: 'true',
      // An external identity provider's key beside the local issuer.
      AUTH_PUBLIC_KEYS: pair.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      DEMO_DATA: 'false',
      TRUST_PROXY: 'loopback',
      AUTH_MAX_TOKEN_LIFETIME_SECONDS: String(MAX_LIFETIME),
      AUTH_FAILURE_LIMIT: String(AUTH_FAILURE_LIMIT),
      AUTH_FAILURE_WINDOW_SECONDS: '60',
      DEV_TOKENS_LIMIT: String(DEV_TOKENS_LIMIT),
      DEV_TOKENS_WINDOW_SECONDS: '60',
      ...(database
        ? {
            DATABASE_URL: database.url,
            PUPIL_DATA_KEY: TEST_KEY,
            PUPIL_PSEUDONYM_KEY: TEST_KEY,
            BROKER_NAMESPACE: `kp-abuse-${process.pid}`,
          }
        : {}),
      ...(process.env['AMQP_URL'] ? { AMQP_URL: process.env['AMQP_URL'], WORKER_IN_PROCESS: 'true' } : {}),
    });
  });
  afterAll(async () => {
    await gateway?.stop();
    await database?.drop();
    await rm(root, { recursive: true, force: true });
  });

  /** Each test speaks from its own client address (X-Forwarded-For from a trusted loopback proxy). */
  const from = (client: string, headers: Record<string, string> = {}): Record<string, string> => ({
    'X-Forwarded-For': client,
    ...headers,
  });

  const externalToken = async (lifetime: { iat?: number; exp?: number }): Promise<string> => {
    const jwt = new SignJWT({ ...AUDITOR })
      .setProtectedHeader({ alg: 'ES256', typ: 'JWT' })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE);
    if (lifetime.iat !== undefined) jwt.setIssuedAt(lifetime.iat);
    if (lifetime.exp !== undefined) jwt.setExpirationTime(lifetime.exp);
    return jwt.sign(idpKey);
  };
  const now = (): number => Math.floor(Date.now() / 1000);
  const problem = async (response: Response): Promise<{ code: string; title: string; status: number }> => {
    assert.match(response.headers.get('content-type') ?? '', /application\/problem\+json/);
    return (await response.json()) as { code: string; title: string; status: number };
  };

  describe('security headers', () => {
    it('Swagger UI at /docs cannot be framed, sniffed or leak referrers, and runs under its CSP', async () => {
      const response = await fetch(`${gateway.url}/docs`, { headers: from('198.51.100.1') });
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
      assert.equal(response.headers.get('x-frame-options'), 'DENY');
      assert.equal(response.headers.get('referrer-policy'), 'no-referrer');
      const csp = response.headers.get('content-security-policy') ?? '';
      assert.match(csp, /frame-ancestors 'none'/);
      assert.match(csp, /script-src 'self'(;|$)/);
      assert.match(csp, /default-src 'self'/);
      assert.equal(response.headers.get('strict-transport-security'), null, 'no HSTS over plain HTTP');
      // Swagger UI needs no inline script: every script comes from this origin and loads.
      const html = await response.text();
      const scripts = [...html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
      assert.ok(scripts.length > 0);
      for (const [, attributes, body] of scripts) {
        const src = /src=["']([^"']+)["']/.exec(attributes ?? '')?.[1];
        assert.ok(src, 'no inline script');
        assert.equal((body ?? '').trim(), '');
        const script = await fetch(new URL(src, `${gateway.url}/docs`), { headers: from('198.51.100.1') });
        assert.equal(script.status, 200, src);
      }
    });

    it('the console at / is served under the same policy, with no inline script', async () => {
      const response = await fetch(`${gateway.url}/`, { headers: from('198.51.100.2') });
      assert.ok([200, 503].includes(response.status)); // 503: the console is not built in this checkout
      assert.match(response.headers.get('content-security-policy') ?? '', /frame-ancestors 'none'/);
      assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
      const html = await response.text();
      for (const [, attributes] of html.matchAll(/<script([^>]*)>/g)) {
        assert.match(attributes ?? '', /src=/, 'no inline script');
      }
    });

    it('API answers carry nosniff too', async () => {
      const response = await fetch(`${gateway.url}/health`, { headers: from('198.51.100.3') });
      assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
    });

    it('HSTS only when the request came over TLS through a trusted proxy', async () => {
      const tls = await fetch(`${gateway.url}/health`, {
        headers: from('198.51.100.4', { 'X-Forwarded-Proto': 'https' }),
      });
      assert.match(tls.headers.get('strict-transport-security') ?? '', /max-age=\d+/);
      const plain = await fetch(`${gateway.url}/health`, {
        headers: from('198.51.100.4', { 'X-Forwarded-Proto': 'http' }),
      });
      assert.equal(plain.headers.get('strict-transport-security'), null);
    });
  });

  describe('token lifetime', () => {
    it('refuses an external token valid for 100 years (401 TOKEN_LIFETIME)', async () => {
      const token = await externalToken({ iat: now(), exp: now() + 100 * 365 * 24 * 3600 });
      const response = await fetch(`${gateway.url}/v1/privacy/audit/verify`, {
        headers: from('198.51.100.10', { Authorization: `Bearer ${token}` }),
      });
      assert.equal(response.status, 401);
      assert.equal((await problem(response)).code, 'TOKEN_LIFETIME');
    });

    it('refuses a token without iat, or issued in the future beyond the cap (401 TOKEN_LIFETIME)', async () => {
      for (const lifetime of [
        { exp: now() + 600 },
        { iat: now() + 10 * 365 * 24 * 3600, exp: now() + 10 * 365 * 24 * 3600 + 60 },
      ]) {
        const token = await externalToken(lifetime);
        const response = await fetch(`${gateway.url}/v1/privacy/audit/verify`, {
          headers: from('198.51.100.11', { Authorization: `Bearer ${token}` }),
        });
        assert.equal(response.status, 401);
        assert.equal((await problem(response)).code, 'TOKEN_LIFETIME');
      }
    });

    it('accepts an external token within the cap', async () => {
      const token = await externalToken({ iat: now(), exp: now() + MAX_LIFETIME });
      const response = await fetch(`${gateway.url}/v1/privacy/audit/verify`, {
        headers: from('198.51.100.12', { Authorization: `Bearer ${token}` }),
      });
      assert.equal(response.status, 200, await response.text());
    });

    it('the local issuer hands out no token beyond the cap (400 TOKEN_TTL)', async () => {
      const response = await fetch(`${gateway.url}/v1/dev/tokens`, {
        method: 'POST',
        headers: from('198.51.100.13', { 'Content-Type': 'application/json' }),
        body: JSON.stringify({ role: 'auditor', ttlSeconds: MAX_LIFETIME + 1 }),
      });
      assert.equal(response.status, 400);
      assert.equal((await problem(response)).code, 'TOKEN_TTL');
      const tokens = (await (
        await fetch(`${gateway.url}/v1/dev/tokens`, { headers: from('198.51.100.13') })
      ).json()) as {
        tokens: { expiresAt: string }[];
      };
      for (const token of tokens.tokens) {
        assert.ok(Date.parse(token.expiresAt) <= Date.now() + (MAX_LIFETIME + 5) * 1000);
      }
    });
  });

  describe('rate limits', () => {
    it('authentication failures from one client end in 429 with Retry-After; other clients carry on', async () => {
      const client = '203.0.113.5';
      for (let i = 0; i < AUTH_FAILURE_LIMIT; i++) {
        const response = await fetch(`${gateway.url}/v1/privacy/audit/verify`, {
          headers: from(client, { Authorization: 'Bearer not.a.token' }),
        });
        assert.equal(response.status, 401);
      }
      const good = await externalToken({ iat: now(), exp: now() + 600 });
      const blocked = await fetch(`${gateway.url}/v1/privacy/audit/verify`, {
        headers: from(client, { Authorization: `Bearer ${good}` }),
      });
      assert.equal(blocked.status, 429);
      const retryAfter = Number(blocked.headers.get('retry-after'));
      assert.ok(
        Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60,
        `Retry-After ${retryAfter}`,
      );
      assert.equal((await problem(blocked)).code, 'AUTH_RATE_LIMITED');
      const other = await fetch(`${gateway.url}/v1/privacy/audit/verify`, {
        headers: from('203.0.113.6', { Authorization: `Bearer ${good}` }),
      });
      assert.equal(other.status, 200);
    });

    it('the demo token endpoint answers 429 with Retry-After past its limit', async () => {
      const client = '203.0.113.9';
      for (let i = 0; i < DEV_TOKENS_LIMIT; i++) {
        const response = await fetch(`${gateway.url}/v1/dev/tokens`, { headers: from(client) });
        assert.equal(response.status, 200);
      }
      const blocked = await fetch(`${gateway.url}/v1/dev/tokens`, { headers: from(client) });
      assert.equal(blocked.status, 429);
      assert.ok(Number(blocked.headers.get('retry-after')) >= 1);
      assert.equal((await problem(blocked)).code, 'DEV_TOKENS_RATE_LIMITED');
      const post = await fetch(`${gateway.url}/v1/dev/tokens`, {
        method: 'POST',
        headers: from(client, { 'Content-Type': 'application/json' }),
        body: JSON.stringify({ role: 'auditor' }),
      });
      assert.equal(post.status, 429);
    });
  });

  describe('what is echoed and logged', () => {
    it('a 404 does not repeat the unknown path in its title', async () => {
      const response = await fetch(`${gateway.url}/v1/nowhere/elsewhere-4711<script>`, {
        headers: from('198.51.100.20'),
      });
      assert.equal(response.status, 404);
      const body = await problem(response);
      assert.equal(body.code, 'NOT_FOUND');
      assert.doesNotMatch(body.title, /nowhere|elsewhere|4711|script/);
      assert.ok(!JSON.stringify(body).includes('elsewhere'), 'the path is not echoed at all');
    });

    it('request logs carry no pupil ids from paths', async () => {
      const token = await externalToken({ iat: now(), exp: now() + 600 });
      for (const path of [
        `/v1/pupils/${PUPIL_ID}`,
        `/v1/pupils/${PUPIL_ID}/access-report`,
        `/v1/pupils/${PUPIL_ID}/legal-hold`,
      ]) {
        await fetch(`${gateway.url}${path}`, {
          headers: from('198.51.100.21', { Authorization: `Bearer ${token}` }),
        });
      }
      await fetch(`${gateway.url}/v1/pupils/${PUPIL_ID}`, {
        method: 'PUT',
        headers: from('198.51.100.21', {
          Authorization: `Bearer ${token}`,
          'Content-Type': 'application/json',
        }),
        body: '{}',
      });
      // pino writes asynchronously; give the last lines a moment.
      await new Promise((resolve) => setTimeout(resolve, 300));
      const logs = gateway.output();
      assert.match(logs, /\/v1\/pupils\//, 'the requests were logged');
      assert.ok(!logs.includes(PUPIL_ID), 'no pupil id in the logs');
    });
  });

  describe('files', () => {
    it('DATA_DIR and everything in it are owner-only (0700 directories, 0600 files)', async () => {
      const loose: string[] = [];
      const walk = async (dir: string): Promise<void> => {
        const mode = (await stat(dir)).mode & 0o777;
        if ((mode & 0o077) !== 0) loose.push(`${dir} ${mode.toString(8)}`);
        for (const entry of await readdir(dir, { withFileTypes: true })) {
          const path = join(dir, entry.name);
          if (entry.isDirectory()) await walk(path);
          else if (((await stat(path)).mode & 0o077) !== 0)
            loose.push(`${path} ${((await stat(path)).mode & 0o777).toString(8)}`);
        }
      };
      await walk(dataDir);
      assert.ok((await readdir(dataDir)).length > 0, 'the gateway wrote its files');
      expect(loose.slice(0, 10)).toEqual([]); // `${loose.length} files or directories readable by others`
      assert.ok((await readFile(join(dataDir, 'local-issuer.jwk.json'), 'utf8')).length > 0);
    });
  });
});
