import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type Settings, loadSettings } from '#config';
import { IngestPayloadUseCase, PrivacyPolicyEngine } from '#application';
import { normalise } from '#normalisation';
import { FixedClock, type PullClient, type PullSource, type PullWindow } from '#domain';
import {
  type FakeSchoolApi,
  createTestDatabase,
  fakeApiSource,
  startFakeSchoolApi,
  testAmqpUrl,
  testDatabaseUrl,
} from '#testing';
import { adapterFor } from './adapter-registry.js';
import { type Infrastructure, deleteBrokerNamespace, startInfrastructure } from './infrastructure.js';
import { createLogger } from './logger.js';
import { PullScheduler, pullClientFactory, pullSourceUseCase } from './pull-scheduler.js';

const NOW = new Date('2026-02-02T12:00:00Z');

const sourceFor = fakeApiSource;

interface StoredRecord {
  record_id: string;
  board: string;
  pupil_local_id: string;
  payload: Record<string, unknown>;
}

describe('pull → ingest → store (PGlite by default; PostgreSQL/RabbitMQ when DATABASE_URL/AMQP_URL are set)', () => {
  let api: FakeSchoolApi;
  let infra: Infrastructure;
  let settings: Settings;
  let dataDir: string;
  let dropDatabase: (() => Promise<void>) | null = null;
  const clock = new FixedClock(NOW);

  beforeAll(async () => {
    api = await startFakeSchoolApi({ somtodayRepeat: 3, magisterRepeat: 1 });
    dataDir = await mkdtemp(join(tmpdir(), 'ketenpoort-pull-'));
    const env: Record<string, string> = {
      DATA_DIR: dataDir,
      LOG_LEVEL: 'silent',
      DEMO_DATA: 'false',
      OUTBOX_POLL_MS: '20',
      WORKER_IN_PROCESS: 'true',
      BROKER_NAMESPACE: `kp-pull-${randomUUID().slice(0, 8)}`,
    };
    if (testDatabaseUrl()) {
      const database = await createTestDatabase();
      env['DATABASE_URL'] = database.url;
      dropDatabase = () => database.drop();
    }
    const amqp = testAmqpUrl();
    if (amqp) env['AMQP_URL'] = amqp;
    settings = loadSettings(env);
    infra = await startInfrastructure(settings, createLogger(settings), {
      relay: true,
      consumers: true,
      engine: new PrivacyPolicyEngine(),
      clock,
    });
  });

  afterAll(async () => {
    await infra?.close();
    await deleteBrokerNamespace(settings);
    await dropDatabase?.();
    await rm(dataDir, { recursive: true, force: true });
    await api?.close();
  });

  const recordsOf = (board: string): Promise<StoredRecord[]> =>
    infra.dataSource.query(
      'SELECT record_id, board, pupil_local_id, payload FROM canonical_record_json WHERE board = $1 ORDER BY record_id',
      [board],
    );

  const pull = (source: PullSource) =>
    pullSourceUseCase(infra).execute({
      source,
      client: pullClientFactory(clock, infra.logger)(source),
    });

  it('SOMtoday: 3 pages end as canonical records, exactly as POSTing the same payloads would store them', async () => {
    const source = sourceFor(api);
    const result = await pull(source);
    assert.equal(result.ok, true, JSON.stringify(result.errors));
    assert.equal(result.pages, 3);
    expect(result.window).toEqual({ from: '2026-01-19', to: '2026-02-02' });
    const calls = api.requestsTo('/rest/v1/absentiemeldingen');
    expect(calls.map((c) => c.range)).toEqual(['items=0-1', 'items=2-3', 'items=4-5']);
    assert.ok(calls.every((c) => /^Bearer /.test(c.authorization ?? '') && c.accept === 'application/json'));

    const pulled = await recordsOf('B1');
    assert.equal(pulled.length, result.records);
    assert.ok(result.records >= 6, `expected the 6 reports as records, got ${result.records}`);

    // The same pages POSTed (the ingest use case behind POST /v1/ingest/{system}) by another board's client.
    const ingest = new IngestPayloadUseCase(infra.batches, infra.mappings, adapterFor, clock, randomUUID);
    for (const call of calls) {
      await ingest.execute({
        actor: {
          role: 'integration_client',
          subject: 'push',
          board: 'B2',
          school: '99XX',
          system: 'somtoday',
        },
        system: 'somtoday',
        payload: call.body,
      });
    }
    const posted = await recordsOf('B2');
    expect(pulled.map((r) => [r.record_id, r.payload])).toEqual(posted.map((r) => [r.record_id, r.payload]));
  });

  it('re-running the same pull changes nothing: the same record ids, the same records', async () => {
    const before = await recordsOf('B1');
    const result = await pull(sourceFor(api));
    assert.equal(result.ok, true);
    const after = await recordsOf('B1');
    expect(after.map((r) => [r.record_id, r.payload])).toEqual(before.map((r) => [r.record_id, r.payload]));
  });

  it('Magister per pupil: records carry the pupil id from the URL', async () => {
    const source = sourceFor(api, { system: 'magister', board: 'B3', timetable: true });
    const result = await pull(source);
    assert.equal(result.ok, true, JSON.stringify(result.errors));
    // Per pupil: one afspraken page and three absenties pages (5 items, 2 per page).
    assert.equal(result.pages, 8);
    const stored = await recordsOf('B3');
    assert.equal(stored.length, result.records);
    assert.ok(stored.length > 0);
    expect([...new Set(stored.map((r) => r.pupil_local_id))].sort()).toEqual(['4216', '4217']);
    for (const row of stored) {
      const sourceId = Number(row.payload['sourceId']);
      // The fake server numbers each pupil's absences from pupil × 1 000 000.
      assert.equal(String(Math.floor(sourceId / 1_000_000)), row.pupil_local_id);
    }
    // The afspraken pages are the school's timetable: their lessons are stored for later absence data.
    const lessons: { n: string }[] = await infra.dataSource.query(
      `SELECT count(*) AS n FROM lesson WHERE board = 'B3' AND school = '99XX'`,
    );
    assert.ok(Number(lessons[0].n) > 0, 'lessons of the pulled timetable are stored');
  });

  it('503, 503, 200 and a 401 needing a new token: the run still stores everything', async () => {
    api.inject('/rest/v1/absentiemeldingen', { status: 503 }, { status: 503 }, { revokeTokens: true });
    const result = await pull(sourceFor(api, { board: 'B4' }));
    assert.equal(result.ok, true, JSON.stringify(result.errors));
    assert.equal(result.pages, 3);
    assert.equal((await recordsOf('B4')).length, result.records);
  });

  it('a permanent 403 fails the run with a coded error; pages before it stay stored', async () => {
    const source = sourceFor(api, { board: 'B5' });
    const client = pullClientFactory(clock, infra.logger)(source);
    // First page fine, then 403 on the second.
    const useCase = pullSourceUseCase(infra);
    const wrapped: PullClient = {
      async *pages(window: PullWindow, signal?: AbortSignal) {
        let n = 0;
        for await (const page of client.pages(window, signal)) {
          yield page;
          if (++n === 1) api.inject('/rest/v1/absentiemeldingen', { status: 403 });
        }
      },
    };
    const calls = api.requestsTo('/rest/v1/absentiemeldingen').length;
    const result = await useCase.execute({ source, client: wrapped });
    assert.equal(result.ok, false);
    expect(result.errors.map((e) => [e.code, e.retryable])).toEqual([['PULL_FORBIDDEN', false]]);
    assert.equal(result.pages, 1);
    assert.equal(api.requestsTo('/rest/v1/absentiemeldingen').length - calls, 2);
    assert.equal((await recordsOf('B5')).length, result.records);
  });

  it('a non-JSON page is quarantined, not lost, and counted in the run result', async () => {
    api.inject('/rest/v1/absentiemeldingen', { body: '<html>Onderhoud</html>' });
    const result = await pull(sourceFor(api, { board: 'B6' }));
    assert.equal(result.pages, 1);
    assert.equal(result.quarantined, 1);
    const rows: { reason: string; raw: unknown }[] = await infra.dataSource.query(
      'SELECT reason, raw FROM quarantined_input WHERE board = $1',
      ['B6'],
    );
    expect(rows.map((r) => r.reason)).toEqual(['MALFORMED_PAYLOAD']);
    assert.equal(JSON.stringify(rows[0].raw).includes('Onderhoud'), true);
  });

  it('a teacher check on another page than its report is linked to it, whichever list comes first', async () => {
    // SOMtoday serves reports (absentiemeldingen) and teacher checks (waarnemingen) as separate lists, 2 items a
    // page: every check is on another page, and so in another stored batch, than the reports that explain it.
    const orders: [string, string[]][] = [
      ['B8', ['absentiemeldingen', 'waarnemingen']],
      ['B9', ['waarnemingen', 'absentiemeldingen']],
    ];
    for (const [board, resources] of orders) {
      const source = sourceFor(api, { board, resources });
      const before = api.requests.length;
      const result = await pull(source);
      assert.equal(result.ok, true, JSON.stringify(result.errors));
      assert.equal(result.pages, 9, '3 pages of reports and 6 of teacher checks');

      // The link the whole run gives: every page read by the adapter, normalised together as one payload.
      const bodies = api.requests
        .slice(before)
        .filter((r) => r.status === 206)
        .map((r) => r.body);
      const adapter = adapterFor('somtoday');
      const all = normalise(
        bodies.flatMap((body) => adapter.parse(body).records),
        { mapping: null, lessons: [], bellSchedule: null },
      ).records;
      const expected = new Map(all.map((r) => [r.recordId, r.explainedBy]));
      const explained = all.filter((r) => r.explainedBy !== null);
      assert.equal(explained.length, 6, 'three copies of the two absent checks of 2 February');
      assert.ok(explained.every((r) => r.registeredVia === 'TEACHER_CHECK'));

      const stored = await recordsOf(board);
      expect(stored.map((r) => [r.record_id, r.payload['explainedBy']])).toEqual(
        [...expected].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
      ); // `${resources.join(' then ')}: stored links equal the whole run's`
    }
  });

  it('the scheduler runs a source on its interval, never twice at once, and stops cleanly', async () => {
    const source = sourceFor(api, { board: 'B7', intervalMs: 40 });
    let active = 0;
    let maxActive = 0;
    let runs = 0;
    const slowUseCase = pullSourceUseCase(infra);
    const scheduler = new PullScheduler({
      sources: [source],
      clientFor: pullClientFactory(clock, infra.logger),
      logger: infra.logger,
      useCase: {
        execute: async (command) => {
          active += 1;
          maxActive = Math.max(maxActive, active);
          runs += 1;
          try {
            // Each run takes longer than the interval, so ticks must be skipped, not stacked.
            await new Promise((resolve) => setTimeout(resolve, 100));
            return await slowUseCase.execute(command);
          } finally {
            active -= 1;
          }
        },
      },
    });
    scheduler.start();
    // Wait for the second run rather than a fixed time: a loaded machine makes each ingest slower.
    const deadline = Date.now() + 15_000;
    while (runs < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    await scheduler.stop();
    const runsAtStop = runs;
    assert.ok(runs >= 2, `expected repeated runs, got ${runs}`);
    assert.equal(maxActive, 1);
    const [status] = scheduler.status();
    assert.ok(status.skippedTicks > 0);
    assert.equal(status.running, false);
    assert.ok(status.results.length >= 1);
    assert.ok(status.results.every((r) => r.source === source.name));
    await new Promise((resolve) => setTimeout(resolve, 150));
    assert.equal(runs, runsAtStop, 'no runs after stop');
    assert.ok((await recordsOf('B7')).length > 0);
  });

  it('no sources configured: the scheduler does nothing', async () => {
    const scheduler = new PullScheduler({
      sources: [],
      clientFor: pullClientFactory(clock, infra.logger),
      logger: infra.logger,
      useCase: pullSourceUseCase(infra),
    });
    scheduler.start();
    expect(scheduler.status()).toEqual([]);
    await scheduler.stop();
  });
});
