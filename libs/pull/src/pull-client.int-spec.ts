import assert from 'node:assert/strict';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { FixedClock, type PullPage, type PullSource, PullError, Secret } from '#domain';
import { type FakeSchoolApi, fakeApiSource, startFakeSchoolApi } from '#testing';
import { createPullClient } from './pull-client.factory.js';
import type { PullEvent } from './source-http.js';
import { parseContentRange } from './somtoday.pull-client.js';

const WINDOW = { from: '2026-01-19', to: '2026-02-02' };

function sourceFor(api: FakeSchoolApi, overrides: Partial<PullSource> = {}): PullSource {
  const system = overrides.system ?? 'somtoday';
  return fakeApiSource(api, {
    name: `${system}-test`,
    ...(system === 'magister' ? { pupils: ['4216'] } : {}),
    ...overrides,
  });
}

async function collect(source: PullSource, events: PullEvent[] = []): Promise<PullPage[]> {
  const client = createPullClient(source, {
    clock: new FixedClock(new Date('2026-02-02T12:00:00Z')),
    onEvent: (e) => events.push(e),
  });
  const pages: PullPage[] = [];
  for await (const page of client.pages(WINDOW)) pages.push(page);
  return pages;
}

async function failure(promise: Promise<unknown>): Promise<PullError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof PullError, `expected a PullError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected the pull to fail');
}

describe('pull clients against a local fake SOMtoday/Magister server', () => {
  let api: FakeSchoolApi;

  beforeAll(async () => {
    // 2 absentiemeldingen in the fixture, three times over: 6 items = 3 pages of 2.
    api = await startFakeSchoolApi({ somtodayRepeat: 3, magisterRepeat: 1 });
  });
  afterAll(() => api.close());
  afterEach(() => {
    api.requests.length = 0;
  });

  it('SOMtoday: pages with Range items=a-b until Content-Range says the end, with Bearer and Accept', async () => {
    const pages = await collect(sourceFor(api));
    assert.equal(pages.length, 3);
    const calls = api.requestsTo('/rest/v1/absentiemeldingen');
    expect(calls.map((c) => c.range)).toEqual(['items=0-1', 'items=2-3', 'items=4-5']);
    for (const call of calls) {
      assert.match(call.authorization ?? '', /^Bearer fake-token-\d+$/);
      assert.equal(call.accept, 'application/json');
      assert.equal(call.query['begindatum'], '2026-01-19');
      assert.equal(call.query['einddatum'], '2026-02-02');
      assert.equal(call.status, 206);
    }
    expect(pages.map((p) => p.payload)).toEqual(calls.map((c) => c.body));
    assert.ok(pages.every((p) => p.kind === 'records' && p.pupilId === undefined));
  });

  it('fetches one token and reuses it until it nearly expires', async () => {
    const before = api.tokensIssued();
    await collect(sourceFor(api, { resources: ['absentiemeldingen', 'waarnemingen'] }));
    assert.equal(api.tokensIssued() - before, 1);
    const token = api.requestsTo('/oauth2/token')[0];
    assert.equal(token.method, 'POST');
    assert.equal(token.accept, 'application/json');
  });

  it('503, 503, 200: retried with back-off and succeeds', async () => {
    api.inject('/rest/v1/absentiemeldingen', { status: 503 }, { status: 503 });
    const events: PullEvent[] = [];
    const pages = await collect(sourceFor(api), events);
    assert.equal(pages.length, 3);
    expect(api.requestsTo('/rest/v1/absentiemeldingen').map((c) => c.status)).toEqual([
      503, 503, 206, 206, 206,
    ]);
    expect(events.filter((e) => e.event === 'retry').map((e) => e.code)).toEqual([
      'PULL_UNAVAILABLE',
      'PULL_UNAVAILABLE',
    ]);
  });

  it('a 500 is treated as transient: retried, then the pages arrive', async () => {
    api.inject('/rest/v1/absentiemeldingen', { status: 500 });
    const pages = await collect(sourceFor(api));
    assert.equal(pages.length, 3);
    expect(api.requestsTo('/rest/v1/absentiemeldingen').map((c) => c.status)).toEqual([500, 206, 206, 206]);
  });

  it('429 waits at least Retry-After before the next attempt', async () => {
    api.inject('/rest/v1/absentiemeldingen', { status: 429, retryAfterSeconds: 1 });
    const started = performance.now();
    const pages = await collect(sourceFor(api));
    assert.equal(pages.length, 3);
    assert.ok(performance.now() - started >= 1_000, 'waited for Retry-After');
    expect(api.requestsTo('/rest/v1/absentiemeldingen').map((c) => c.status)).toEqual([429, 206, 206, 206]);
  });

  it('a Retry-After longer than the longest back-off fails the run as retryable instead of blocking it', async () => {
    api.inject('/rest/v1/absentiemeldingen', { status: 429, retryAfterSeconds: 3600 });
    const error = await failure(collect(sourceFor(api)));
    assert.equal(error.code, 'PULL_RATE_LIMITED');
    assert.equal(error.retryable, true);
    assert.equal(api.requestsTo('/rest/v1/absentiemeldingen').length, 1);
  });

  it('401 renews the token once and repeats the request', async () => {
    const source = sourceFor(api);
    const events: PullEvent[] = [];
    const client = createPullClient(source, {
      clock: new FixedClock(new Date('2026-02-02T12:00:00Z')),
      onEvent: (e) => events.push(e),
    });
    const first: PullPage[] = [];
    for await (const page of client.pages(WINDOW)) first.push(page);
    const tokensBefore = api.tokensIssued();
    api.inject('/rest/v1/absentiemeldingen', { revokeTokens: true });
    const second: PullPage[] = [];
    for await (const page of client.pages(WINDOW)) second.push(page);
    assert.equal(second.length, 3);
    assert.equal(api.tokensIssued() - tokensBefore, 1);
    assert.equal(events.filter((e) => e.event === 'token-refresh').length, 1);
    const calls = api.requestsTo('/rest/v1/absentiemeldingen').slice(3);
    expect(calls.map((c) => c.status)).toEqual([401, 206, 206, 206]);
    assert.notEqual(calls[0].authorization, calls[1].authorization);
  });

  it('a second 401 after a fresh token fails: no loop', async () => {
    api.inject('/rest/v1/absentiemeldingen', { revokeTokens: true }, { revokeTokens: true });
    const error = await failure(collect(sourceFor(api)));
    assert.equal(error.code, 'PULL_UNAUTHORISED');
    assert.equal(api.requestsTo('/rest/v1/absentiemeldingen').length, 2);
  });

  it('a permanent 403 fails at once with a coded, non-retryable error (no retry storm)', async () => {
    api.inject('/rest/v1/absentiemeldingen', { status: 403 });
    const error = await failure(collect(sourceFor(api)));
    assert.equal(error.code, 'PULL_FORBIDDEN');
    assert.equal(error.retryable, false);
    assert.equal(error.status, 403);
    assert.equal(api.requestsTo('/rest/v1/absentiemeldingen').length, 1);
  });

  it('retries exhausted on 503 end with a retryable coded error after retries + 1 attempts', async () => {
    api.inject('/rest/v1/absentiemeldingen', ...Array.from({ length: 4 }, () => ({ status: 503 as const })));
    const error = await failure(collect(sourceFor(api, { retries: 3 })));
    assert.equal(error.code, 'PULL_UNAVAILABLE');
    assert.equal(error.retryable, true);
    assert.equal(api.requestsTo('/rest/v1/absentiemeldingen').length, 4);
  });

  it('a response slower than the timeout is abandoned and retried', async () => {
    api.inject('/rest/v1/absentiemeldingen', { delayMs: 1_500 });
    const events: PullEvent[] = [];
    const pages = await collect(sourceFor(api, { timeoutMs: 300 }), events);
    assert.equal(pages.length, 3);
    expect(events.filter((e) => e.event === 'retry').map((e) => e.code)).toEqual(['PULL_TIMEOUT']);
  });

  it('wrong client credentials: PULL_TOKEN_REFUSED, not retried', async () => {
    const error = await failure(collect(sourceFor(api, { clientSecret: new Secret('wrong') })));
    assert.equal(error.code, 'PULL_TOKEN_REFUSED');
    assert.equal(error.retryable, false);
  });

  it('a page that is not JSON is still handed on (for quarantine), and ends the list', async () => {
    api.inject('/rest/v1/absentiemeldingen', { body: '<html>Onderhoud</html>' });
    const pages = await collect(sourceFor(api));
    expect(pages.map((p) => p.payload)).toEqual(['<html>Onderhoud</html>']);
  });

  it('a page larger than maxPageBytes fails the run (PULL_PAGE_TOO_LARGE) instead of filling memory', async () => {
    const error = await failure(collect(sourceFor(api, { maxPageBytes: 200 })));
    assert.equal(error.code, 'PULL_PAGE_TOO_LARGE');
  });

  it('the client secret never shows in JSON or string form', () => {
    const source = sourceFor(api);
    assert.ok(!JSON.stringify(source).includes('fake-secret'));
    assert.ok(!String(source.clientSecret).includes('fake-secret'));
  });

  it('Magister: per-pupil absenties paged with skip/top, the pupil from the URL on every page', async () => {
    // The absenties fixture holds 5 items: pages of 2, 2, 1.
    const pages = await collect(
      sourceFor(api, { system: 'magister', pupils: ['4216', '4217'], timetable: true }),
    );
    const calls = api.requestsTo('/api/personen/');
    expect(calls.map((c) => `${c.path}?skip=${c.query['skip']}&top=${c.query['top']}`)).toEqual([
      '/api/personen/4216/afspraken?skip=0&top=2',
      '/api/personen/4216/absenties?skip=0&top=2',
      '/api/personen/4216/absenties?skip=2&top=2',
      '/api/personen/4216/absenties?skip=4&top=2',
      '/api/personen/4217/afspraken?skip=0&top=2',
      '/api/personen/4217/absenties?skip=0&top=2',
      '/api/personen/4217/absenties?skip=2&top=2',
      '/api/personen/4217/absenties?skip=4&top=2',
    ]);
    assert.ok(calls.every((c) => c.query['van'] === '2026-01-19' && c.query['tot'] === '2026-02-02'));
    assert.ok(calls.every((c) => /^Bearer /.test(c.authorization ?? '') && c.accept === 'application/json'));
    expect(pages.map((p) => `${p.kind}:${p.pupilId}`)).toEqual([
      'lessons:4216',
      'records:4216',
      'records:4216',
      'records:4216',
      'lessons:4217',
      'records:4217',
      'records:4217',
      'records:4217',
    ]);
  });

  it('Magister: follows Links Rel=next and lists pupils from pupilsPath', async () => {
    const linked = await startFakeSchoolApi({ magisterPaging: 'links', magisterPupils: [4216, 4217, 4218] });
    try {
      const pages = await collect(
        sourceFor(linked, { system: 'magister', pupils: [], pupilsPath: '/api/leerlingen' }),
      );
      assert.equal(linked.requestsTo('/api/leerlingen').length, 2);
      expect([...new Set(pages.map((p) => p.pupilId))]).toEqual(['4216', '4217', '4218']);
      assert.equal(pages.length, 9);
    } finally {
      await linked.close();
    }
  });

  it('parses Content-Range', () => {
    expect(parseContentRange('items 0-99/250')).toEqual({ first: 0, last: 99, total: 250 });
    expect(parseContentRange('items 100-149/*')).toEqual({ first: 100, last: 149, total: null });
    assert.equal(parseContentRange('bytes 0-99/250'), null);
    assert.equal(parseContentRange(null), null);
  });
});
