import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type TestGateway, startTestGateway } from '../gateway.test-support.js';
import { CookieJar, signInAsDemoUser, step } from './console-sign-in.test-support.js';
import { SESSION_COOKIE, SIGN_IN_COOKIE } from './console-session.service.js';

describe('console sign-in (OIDC code + PKCE through the local provider, sessions in the database)', () => {
  let gateway: TestGateway;
  let base: string;

  beforeAll(async () => {
    gateway = await startTestGateway();
    await gateway.app.listen(0, '127.0.0.1');
    const address = gateway.app.getHttpServer().address() as { port: number };
    base = `http://localhost:${address.port}`;
  });
  afterAll(async () => {
    await gateway.stop();
  });

  const sessionRows = async (): Promise<number> => {
    const rows: { n: string }[] = await gateway.infra.dataSource.query(
      `SELECT count(*) AS n FROM console_session WHERE kind = 'active'`,
    );
    return Number(rows[0]?.n ?? 0);
  };

  it('tells a signed-out console that sign-in is available', async () => {
    const response = await fetch(`${base}/auth/session`);
    assert.equal(response.status, 200);
    expect(await response.json()).toEqual({ signedIn: false, signInAvailable: true });
  });

  it('signs a demo user in and keeps the session server-side, the cookie HttpOnly, Secure and SameSite', async () => {
    const jar = new CookieJar();
    const login = await step(jar, `${base}/auth/login?returnTo=%2Fmeldingen`);
    assert.equal(login.status, 302);
    const signInCookie = login.headers.getSetCookie().find((c) => c.startsWith(`${SIGN_IN_COOKIE}=`));
    assert.match(signInCookie ?? '', /HttpOnly; Secure; SameSite=Lax/);
    const authorize = new URL(login.headers.get('location')!);
    assert.equal(authorize.searchParams.get('code_challenge_method'), 'S256');
    assert.ok(authorize.searchParams.get('state') && authorize.searchParams.get('nonce'));

    const before = await sessionRows();
    const { jar: signedIn, csrfToken, landedAt } = await signInAsDemoUser(base, 'demo-school-staff');
    assert.match(landedAt, /\/meldingen$/);
    assert.equal(await sessionRows(), before + 1);
    const token = signedIn.get(base, SESSION_COOKIE)!;
    const stored: { id: string }[] = await gateway.infra.dataSource.query(`SELECT id FROM console_session`);
    assert.ok(
      stored.every((row) => row.id !== token),
      'the table holds a hash, never the cookie value',
    );

    const session = (await (await step(signedIn, `${base}/auth/session`)).json()) as Record<string, unknown>;
    assert.equal(session['signedIn'], true);
    expect(session['actor']).toEqual({
      role: 'school_staff',
      subject: 'demo-school-staff',
      board: 'BOARD-DEMO',
      schools: ['99XX', '99XY'],
    });
    assert.equal(typeof csrfToken, 'string');
    assert.ok(csrfToken.length >= 32);
    assert.ok(!JSON.stringify(session).includes('eyJ'), 'no token of the provider reaches the browser');

    const reports = await step(signedIn, `${base}/v1/schools/99XX/reports`);
    assert.equal(reports.status, 200);
  });

  it('needs the CSRF token on state-changing calls made with the cookie', async () => {
    const { jar, csrfToken } = await signInAsDemoUser(base, 'demo-school-staff');
    const url = `${base}/v1/reports/00000000-0000-4000-8000-000000000000/approve`;
    const without = await step(jar, url, { method: 'POST' });
    assert.equal(without.status, 403);
    assert.equal(((await without.json()) as { code: string }).code, 'CSRF_TOKEN_INVALID');
    const wrong = await step(jar, url, {
      method: 'POST',
      headers: { 'x-csrf-token': 'x'.repeat(csrfToken.length) },
    });
    assert.equal(wrong.status, 403);
    const right = await step(jar, url, { method: 'POST', headers: { 'x-csrf-token': csrfToken } });
    assert.equal(right.status, 404, 'past authentication, the report is simply not there');
    assert.equal(((await right.json()) as { code: string }).code, 'REPORT_NOT_FOUND');
  });

  it('keeps bearer tokens working for machine clients, and a bearer token decides over a cookie', async () => {
    const { jar } = await signInAsDemoUser(base, 'demo-school-staff');
    const bearer = await gateway.issuer.issue({ role: 'auditor', sub: 'a', board: 'BOARD-DEMO' });
    const response = await step(jar, `${base}/v1/deliveries/work-queue`, {
      headers: { authorization: `Bearer ${bearer}` },
    });
    assert.equal(response.status, 403, 'the auditor of the bearer token, not the staff member of the cookie');
    const plain = await fetch(`${base}/v1/chain/summary`, { headers: { authorization: `Bearer ${bearer}` } });
    assert.equal(plain.status, 200);
  });

  it('maps every demo role through the claims mapping', async () => {
    for (const account of [
      'demo-privacy-officer',
      // The demo board's second privacy officer: four eyes on a fresh `npm start` (issue 11).
      'demo-privacy-officer-2',
      'demo-leerplicht-officer',
      'demo-doorstroompunt-officer',
    ]) {
      const { jar } = await signInAsDemoUser(base, account, '/');
      const session = (await (await step(jar, `${base}/auth/session`)).json()) as {
        actor: { subject: string };
      };
      assert.equal(session.actor.subject, account);
    }
  });

  it('uses a sign-in once, and refuses a return address on another site', async () => {
    const jar = new CookieJar();
    const login = await step(jar, `${base}/auth/login?returnTo=${encodeURIComponent('//evil.example/x')}`);
    assert.equal(login.status, 302);
    const noCookie = await fetch(`${base}/auth/callback?code=x&state=y`, { redirect: 'manual' });
    assert.equal(noCookie.headers.get('location'), '/aanmelden?fout=SIGN_IN_EXPIRED');
    const { landedAt } = await signInAsDemoUser(base, 'demo-school-staff', 'https://evil.example/');
    assert.equal(new URL(landedAt).pathname, '/');
    assert.equal(new URL(landedAt).host, new URL(base).host);
  });

  /** fetch will not send another Host header; a plain request can, as a browser on another name would. */
  const asHost = (path: string, host: string): Promise<{ status: number; body: string }> =>
    new Promise((resolve, reject) => {
      const url = new URL(base);
      const req = httpRequest({ host: '127.0.0.1', port: url.port, path, headers: { host } }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      req.end();
    });

  it('serves the demo provider and the sign-in only to loopback hosts', async () => {
    const provider = await asHost('/oidc/.well-known/openid-configuration', 'ketenpoort.example');
    assert.equal(provider.status, 403);
    const login = await asHost('/auth/login', 'ketenpoort.example');
    assert.equal(login.status, 403);
    assert.equal((JSON.parse(login.body) as { code: string }).code, 'SIGN_IN_HOST');
    const local = await asHost('/oidc/.well-known/openid-configuration', `127.0.0.1:${new URL(base).port}`);
    assert.equal(local.status, 200);
    // Another loopback name starts over on the one origin of the demo sign-in (localhost).
    const other = await fetch(`http://127.0.0.1:${new URL(base).port}/auth/login?returnTo=%2Fketen`, {
      redirect: 'manual',
    });
    assert.equal(other.status, 302);
    assert.equal(other.headers.get('location'), `${base}/auth/login?returnTo=%2Fketen`);
    assert.equal(other.headers.getSetCookie().length, 0);
  });

  it('signs out: the session ends here (CSRF-checked) and the provider is asked to end its own', async () => {
    const { jar, csrfToken } = await signInAsDemoUser(base, 'demo-school-staff');
    const refused = await step(jar, `${base}/auth/logout`, { method: 'POST' });
    assert.equal(refused.status, 403);
    const done = await step(jar, `${base}/auth/logout`, {
      method: 'POST',
      headers: { 'x-csrf-token': csrfToken },
    });
    assert.equal(done.status, 200);
    const { location } = (await done.json()) as { location: string };
    const endSession = new URL(location);
    assert.match(endSession.pathname, /^\/oidc\/session\/end/);
    assert.ok(endSession.searchParams.get('id_token_hint'));
    assert.equal(endSession.searchParams.get('post_logout_redirect_uri'), `${base}/afgemeld`);
    const afterwards = await fetch(`${base}/v1/schools/99XX/reports`, {
      headers: { cookie: `${SESSION_COOKIE}=${jar.get(base, SESSION_COOKIE) ?? 'gone'}` },
    });
    assert.equal(afterwards.status, 401);
  });

  it('serves the console for pages, and keeps API 404s problem+json', async () => {
    const page = await fetch(`${base}/meldingen/99XX/123`, { headers: { accept: 'text/html' } });
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type') ?? '', /text\/html/);
    assert.match(await page.text(), /<html lang="nl"/);
    const api = await fetch(`${base}/v1/does-not-exist`);
    assert.equal(api.status, 404);
    assert.match(api.headers.get('content-type') ?? '', /application\/problem\+json/);
    assert.equal((await fetch(`${base}/assets/missing-file.js`)).status, 404);
    assert.equal((await fetch(`${base}/health`)).status, 200);
  });
});
