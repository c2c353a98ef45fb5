import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import type { PullSource } from '#domain';
import { PullScheduler, pullClientFactory, pullSourceUseCase } from '#runtime';
import { type FakeSchoolApi, fakeApiSource, startFakeSchoolApi } from '#testing';
import { type TestGateway, startTestGateway } from '../gateway.test-support.js';

const BOARD = 'BOARD-PULL';

function somtodaySource(api: FakeSchoolApi, school: string): PullSource {
  return fakeApiSource(api, {
    name: `somtoday-${school.toLowerCase()}`,
    board: BOARD,
    school,
    intervalMs: 3_600_000,
    retries: 1,
    maxBackoffMs: 200,
  });
}

/** GET /v1/pull/status over a real scheduler that pulled from a local fake SOMtoday server. */
describe('GET /v1/pull/status', () => {
  let api: FakeSchoolApi;
  let gateway: TestGateway;
  let scheduler: PullScheduler | null = null;
  let http: ReturnType<typeof request>;

  beforeAll(async () => {
    api = await startFakeSchoolApi({ somtodayRepeat: 2, magisterRepeat: 1 });
    gateway = await startTestGateway({ pullStatus: () => scheduler?.status() ?? [] });
    http = request(gateway.app.getHttpServer());
    const infra = gateway.infra;
    scheduler = new PullScheduler({
      sources: [somtodaySource(api, '99XX'), somtodaySource(api, '88YY')],
      useCase: pullSourceUseCase(infra),
      clientFor: pullClientFactory(infra.clock, infra.logger),
      logger: infra.logger,
    });
    await scheduler.runNow('somtoday-99xx');
  });

  afterAll(async () => {
    await scheduler?.stop();
    await gateway?.stop();
    await api?.close();
  });

  it('shows staff the pulls of their own school with the last run, counts only', async () => {
    const token = await gateway.issuer.issue({
      role: 'school_staff',
      sub: 's',
      board: BOARD,
      schools: ['99XX'],
    });
    const response = await http.get('/v1/pull/status').set('Authorization', `Bearer ${token}`).expect(200);
    const sources = (
      response.body as { sources: { source: string; results: { ok: boolean; pages: number }[] }[] }
    ).sources;
    expect(sources.map((s) => s.source)).toEqual(['somtoday-99xx']);
    assert.equal(sources[0].results.length, 1);
    assert.equal(sources[0].results[0].ok, true);
    assert.equal(sources[0].results[0].pages, 2);
    assert.ok(!JSON.stringify(response.body).includes('fake-secret'));
  });

  it('shows a privacy officer every school of the board, and another board nothing', async () => {
    const officer = await gateway.issuer.issue({ role: 'privacy_officer', sub: 'fg', board: BOARD });
    const mine = await http.get('/v1/pull/status').set('Authorization', `Bearer ${officer}`).expect(200);
    assert.equal((mine.body as { sources: unknown[] }).sources.length, 2);
    const other = await gateway.issuer.issue({ role: 'privacy_officer', sub: 'fg', board: 'BOARD-OTHER' });
    const theirs = await http.get('/v1/pull/status').set('Authorization', `Bearer ${other}`).expect(200);
    expect((theirs.body as { sources: unknown[] }).sources).toEqual([]);
  });

  it('refuses a leerplicht officer', async () => {
    const token = await gateway.issuer.issue({
      role: 'leerplicht_officer',
      sub: 'lp',
      municipalities: ['0344'],
    });
    await http.get('/v1/pull/status').set('Authorization', `Bearer ${token}`).expect(403);
  });
});
