import { randomInt, randomUUID } from 'node:crypto';
import { storeDraftedReports } from '#application';
import { request as httpRequest } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSettings, processEnv } from '#config';
import { type DataSource, TypeOrmUnitOfWork, openDatabase } from '#persistence';
import { deleteBrokerNamespace } from '#runtime';
import { UsageError } from '../commands/read-input.js';
import { approvedBenchReport } from './dispatch.bench.js';
import {
  type GatewayChild,
  type Latencies,
  demoTokens,
  latencies,
  startGateway,
  summary,
  timed,
} from './gateway-child.js';
import { SOMTODAY_REASONS, somtodayPayload } from './generate-payloads.js';

/** The demo board's SOMtoday school: the ingest goes there, the readers browse both schools. */
const INGEST_SCHOOL = '99XY';
const SCHOOLS = ['99XX', '99XY'];
/** A 30,000-pupil board's school day: seven marks per pupil. */
const DAY_OF_MARKS = 210_000;
/** One POST per part, as a school system's export or a pull page delivers it. */
const PART = 10_000;
const READERS = 20;
const DRAFTS_TO_APPROVE = 200;
const DEMO_BOARD = 'BOARD-DEMO';

export interface LoadBenchOptions {
  /** Seconds of the loaded phase (default 60). */
  readonly period?: string;
  /** Nesting depth of the hostile client's body (default 100,000 `[`). */
  readonly depth?: string;
  /**
   * Where the consumers run: `separate` (a worker process beside the gateway, as `docker/compose.yaml` runs
   * production; the default with AMQP_URL) or `in-process` (the gateway's own, the embedded default).
   */
  readonly worker?: string;
  /**
   * Milliseconds a reader spends on a page before the next (default 1,000: a person reading a list or a report
   * view; 0 makes every reader a client that asks as fast as it is answered).
   */
  readonly thinkMs?: string;
  /** A directory for V8 CPU profiles of the gateway (and worker), written when they stop. */
  readonly profile?: string;
}

/**
 * `bench load`: the gateway as operators run it (a child process on DATABASE_URL / AMQP_URL with a worker process
 * beside it, or embedded), the demo board loaded. First the ingest alone (the solo rate), then for `--period` seconds everything at once: the
 * same continuous ingest (a 30k-pupil board's day, 210,000 marks, in parts of 10,000), 20 readers browsing
 * signals, reports and chain views (each reads a page for about `--think-ms` before the next), a reader of /health/ready, approvals of up to 200 drafts, and two hostile
 * clients (an upload that sends a byte every 2 s, and a deeply nested JSON body, again and again). Prints contracts
 * §8 with `ratio` = ingest rate under load / ingest rate alone, and latency percentiles, 5xx counts and lost
 * records (accepted by a 202 but not stored) beside it. Hostile answers are counted, never fatal.
 */
export async function runLoadBench(options: LoadBenchOptions): Promise<number> {
  const period = Number(options.period ?? 60);
  if (!Number.isInteger(period) || period < 5 || period > 3600) {
    throw new UsageError('--period must be a number of seconds between 5 and 3600');
  }
  const depth = Number(options.depth ?? 100_000);
  if (!Number.isInteger(depth) || depth < 1 || depth > 10_000_000) {
    throw new UsageError('--depth must be a positive integer');
  }
  const thinkMs = Number(options.thinkMs ?? 1_000);
  if (!Number.isInteger(thinkMs) || thinkMs < 0 || thinkMs > 60_000) {
    throw new UsageError('--think-ms must be a whole number of milliseconds between 0 and 60000');
  }
  const settings = loadSettings(processEnv());
  const worker = options.worker ?? (settings.amqpUrl ? 'separate' : 'in-process');
  if (worker !== 'separate' && worker !== 'in-process') {
    throw new UsageError('--worker must be separate or in-process');
  }
  if (worker === 'separate' && !settings.amqpUrl) {
    throw new UsageError('--worker separate needs AMQP_URL (a worker process consumes from RabbitMQ)');
  }
  const dataDir = await mkdtemp(join(tmpdir(), 'ketenpoort-bench-load-'));
  const namespace = `kp-load-${randomUUID().slice(0, 8)}`;
  let gateway: GatewayChild | null = null;
  let database: DataSource | null = null;
  try {
    // Opened first: it migrates the database the gateway then finds ready.
    database = settings.databaseUrl ? await openDatabase({ url: settings.databaseUrl, poolSize: 2 }) : null;
    gateway = await startGateway(settings, dataDir, namespace, {
      separateWorker: worker === 'separate',
      ...(options.profile === undefined ? {} : { profileDir: options.profile }),
    });
    // The demo board holds a few dozen drafts; the bench approves 200, so the rest are added as drafts of the
    // demo pupils (straight into the store, as the signals engine would write them).
    if (database) await seedDrafts(database, DRAFTS_TO_APPROVE);
    const counter = database;
    const result = await bench(gateway.url, period, depth, thinkMs, async () =>
      counter ? countRecords(counter) : null,
    );
    process.stdout.write(
      JSON.stringify({
        ...result,
        mode: settings.databaseUrl
          ? `PostgreSQL (DATABASE_URL)${settings.amqpUrl ? ' + RabbitMQ (AMQP_URL)' : ''}`
          : 'embedded PGlite',
        worker: worker === 'separate' ? 'a worker process beside the gateway' : "in the gateway's process",
      }) + '\n',
    );
    return 0;
  } finally {
    await gateway?.stop();
    await database?.destroy();
    if (settings.amqpUrl) {
      await deleteBrokerNamespace({ ...settings, brokerNamespace: namespace }).catch(() => undefined);
    }
    await rm(dataDir, { recursive: true, force: true });
  }
}

async function bench(
  url: string,
  period: number,
  depth: number,
  thinkMs: number,
  storedRecords: () => Promise<number | null>,
): Promise<Record<string, unknown>> {
  const tokens = await demoTokens(url);
  const staff = tokens.get('school_staff') ?? '';
  await mapEveryReason(url, staff);
  // Distinct marks per part (own ids), so every part creates records rather than finding them unchanged, also
  // when the bench ran on this database before.
  let seed = randomInt(1_000, 1_000_000);
  const nextPart = (): string => somtodayPayload(PART, seed++);
  const before = await storedRecords();

  // 1. The ingest alone: one day's marks, or as much of it as fits in the period.
  const solo = await ingestFor(url, staff, nextPart, period * 1000, DAY_OF_MARKS);

  // 2. Everything at once for the period.
  const until = Date.now() + period * 1000;
  const readerPages = new Map<string, Latencies>();
  const ready = latencies();
  const approvals = { approved: 0, drafts: 0, ...latencies() };
  const hostile = {
    slowUpload: 'not finished',
    deepJson: { sent: 0, statuses: {} as Record<string, number> },
  };
  const reportIds = await draftIds(url, staff);
  approvals.drafts = reportIds.length;
  const chainIds = [...reportIds];
  const [loaded] = await Promise.all([
    ingestFor(url, staff, nextPart, period * 1000, Number.POSITIVE_INFINITY),
    ...Array.from({ length: READERS }, (_, i) =>
      reader(url, staff, i, chainIds, until, thinkMs, readerPages),
    ),
    readiness(url, until, ready),
    approve(url, staff, reportIds.slice(0, DRAFTS_TO_APPROVE), until, approvals),
    slowUpload(url, staff, until).then((outcome) => (hostile.slowUpload = outcome)),
    deepJson(url, staff, depth, until, hostile.deepJson),
  ]);

  const readers = latencies();
  for (const page of readerPages.values()) {
    readers.samples.push(...page.samples);
    readers.count5xx += page.count5xx;
    readers.count4xx += page.count4xx;
    readers.failures += page.failures;
  }

  // 3. Nothing accepted may be missing: the records of every 202 are stored.
  const after = await storedRecords();
  const accepted = solo.accepted + loaded.accepted;
  const stored = before === null || after === null ? null : after - before;
  const ratio = solo.recordsPerSecond > 0 ? round(loaded.recordsPerSecond / solo.recordsPerSecond) : 0;
  return {
    scenario: 'load',
    records: loaded.accepted,
    seconds: round(loaded.seconds),
    recordsPerSecond: loaded.recordsPerSecond,
    engineLimitRecordsPerSecond: solo.recordsPerSecond,
    ratio,
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    engineLimit: 'the same ingest alone against the same gateway, measured first in this run',
    periodSeconds: period,
    solo: { records: solo.accepted, seconds: round(solo.seconds), recordsPerSecond: solo.recordsPerSecond },
    ingest: { parts: loaded.parts, partSize: PART, status5xx: solo.count5xx + loaded.count5xx },
    readers: {
      clients: READERS,
      thinkMs,
      ...summary(readers),
      byPage: Object.fromEntries(
        [...readerPages].map(([page, l]) => {
          const { requests, p50Ms, p95Ms, p99Ms } = summary(l);
          return [page, { requests, p50Ms, p95Ms, p99Ms }];
        }),
      ),
    },
    healthReady: summary(ready),
    approvals: {
      draftsFound: approvals.drafts,
      approved: approvals.approved,
      ...summary(approvals),
    },
    hostile: { slowUpload: hostile.slowUpload, deepJson: { depth, ...hostile.deepJson } },
    errors5xx: readers.count5xx + ready.count5xx + approvals.count5xx + solo.count5xx + loaded.count5xx,
    accepted,
    stored,
    lost: stored === null ? null : Math.max(0, accepted - stored),
    targets: {
      readerP99Ms: 500,
      zero5xx: true,
      ratioAtLeast: 0.5,
      zeroLost: true,
    },
  };
}

/**
 * The demo school's mapping lacks two of the generated reasons (ON, VW): without this, half of every part would
 * be quarantined as unmapped and the ingest would measure the quarantine. A school's real day is mapped.
 */
async function mapEveryReason(url: string, token: string): Promise<void> {
  const reasons = Object.fromEntries(SOMTODAY_REASONS.map((r) => [r.afkorting, r.category]));
  const response = await fetch(`${url}/v1/mappings/somtoday?school=${INGEST_SCHOOL}`, {
    method: 'PUT',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({
      system: 'somtoday',
      version: `bench-${Date.now()}`,
      description: 'bench load: every generated reason mapped',
      reasons: { SP: 'UNAUTHORISED', ZK: 'SICK', ...reasons },
    }),
    signal: AbortSignal.timeout(300_000),
  });
  if (!response.ok) {
    throw new Error(`bench: the reason mapping was refused (${response.status}): ${await response.text()}`);
  }
}

async function countRecords(database: DataSource): Promise<number> {
  const rows = await database.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM canonical_record`);
  return Number(rows[0]?.n ?? 0);
}

interface IngestRun {
  accepted: number;
  parts: number;
  seconds: number;
  recordsPerSecond: number;
  count5xx: number;
}

/** Posts parts one after another until `limit` records are accepted or the time is up. */
async function ingestFor(
  url: string,
  token: string,
  nextPart: () => string,
  ms: number,
  limit: number,
): Promise<IngestRun> {
  const started = performance.now();
  const run: IngestRun = { accepted: 0, parts: 0, seconds: 0, recordsPerSecond: 0, count5xx: 0 };
  while (run.accepted < limit && performance.now() - started < ms) {
    const body = nextPart();
    try {
      const response = await fetch(`${url}/v1/ingest/somtoday?school=${INGEST_SCHOOL}`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body,
        signal: AbortSignal.timeout(300_000),
      });
      const result = (await response.json().catch(() => ({}))) as { recordCount?: number };
      if (response.status >= 500) run.count5xx++;
      if (response.status === 202) run.accepted += result.recordCount ?? 0;
    } catch {
      run.count5xx++;
    }
    run.parts++;
  }
  run.seconds = (performance.now() - started) / 1000;
  run.recordsPerSecond = Math.round(run.accepted / run.seconds);
  return run;
}

/** Tops the demo board up to `count` drafts, spread over its pupils at both schools. */
async function seedDrafts(database: DataSource, count: number): Promise<void> {
  const counted: { n: number }[] = await database.query(
    `SELECT count(*)::int AS n FROM report WHERE board = $1 AND status = 'DRAFT'`,
    [DEMO_BOARD],
  );
  const n = counted[0]?.n ?? 0;
  const pupils: { local_id: string; school_brin: string }[] = await database.query(
    `SELECT local_id, school_brin FROM pupil WHERE board = $1 ORDER BY local_id`,
    [DEMO_BOARD],
  );
  if (pupils.length === 0 || n >= count) return;
  const at = new Date();
  const drafts = Array.from({ length: count - n }, (_, i) => {
    const { local_id: localId, school_brin: school } = pupils[i % pupils.length] ?? pupils[0];
    const draft = approvedBenchReport(DEMO_BOARD, localId, at, { school });
    return {
      ...draft,
      status: 'DRAFT' as const,
      decidedBy: null,
      decidedAt: null,
      signalId: `bench-load-${draft.id}`,
    };
  });
  await new TypeOrmUnitOfWork(database).run((tx) => storeDraftedReports(tx, drafts, at));
}

async function draftIds(url: string, token: string): Promise<string[]> {
  const ids: string[] = [];
  for (const school of SCHOOLS) {
    const response = await fetch(`${url}/v1/schools/${school}/reports?status=DRAFT`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    if (!response.ok) continue;
    const body = (await response.json()) as { items: { id: string; school?: { brin?: string } }[] };
    ids.push(...body.items.map((item) => `${school}/${item.id}`));
  }
  return ids;
}

/** Browses the screens people use: signals, reports and a report's chain view, round and round. */
async function reader(
  url: string,
  token: string,
  index: number,
  reports: readonly string[],
  until: number,
  thinkMs: number,
  byPage: Map<string, Latencies>,
): Promise<void> {
  const paths = [
    ...SCHOOLS.map((school) => `/v1/schools/${school}/signals`),
    ...SCHOOLS.map((school) => `/v1/schools/${school}/reports`),
    '/v1/chain/summary',
    ...reports.slice(0, 5).map((id) => {
      const [school, report] = id.split('/');
      return `/v1/schools/${school}/reports/${report}/chain`;
    }),
  ];
  for (let i = index; Date.now() < until; i++) {
    const path = paths[i % paths.length];
    const page = pageOf(path);
    const own = byPage.get(page) ?? latencies();
    byPage.set(page, own);
    await timed(`${url}${path}`, { headers: { Authorization: `Bearer ${token}` } }, own);
    // A person reads the page before the next; the readers start out of step (no 20 clicks at one instant).
    if (thinkMs > 0) await sleep(thinkMs * (0.5 + ((i * 7919 + index * 104_729) % 1000) / 1000));
  }
}

/** A reader's path as its kind of page: `/v1/schools/99XY/reports/<id>/chain` → `reports/:id/chain`. */
function pageOf(path: string): string {
  return path
    .replace(/^\/v1\/schools\/[^/]+\//, '')
    .replace(/^\/v1\//, '')
    .replace(/[0-9a-f]{8}-[0-9a-f-]{27}/, ':id');
}

async function readiness(url: string, until: number, into: Latencies): Promise<void> {
  while (Date.now() < until) {
    await timed(`${url}/health/ready`, {}, into);
    await sleep(250);
  }
}

async function approve(
  url: string,
  token: string,
  ids: readonly string[],
  until: number,
  into: Latencies & { approved: number },
): Promise<void> {
  for (const id of ids) {
    if (Date.now() >= until) return;
    const report = id.split('/')[1];
    const status = await timed(
      `${url}/v1/reports/${report}/approve`,
      { method: 'POST', headers: { Authorization: `Bearer ${token}` } },
      into,
    );
    if (status === 200) into.approved++;
  }
}

/** Sends an upload one byte every 2 s; the gateway may cut it (408) or keep waiting: both are recorded. */
function slowUpload(url: string, token: string, until: number): Promise<string> {
  return new Promise((resolve) => {
    const target = new URL(`${url}/v1/ingest/somtoday?school=${INGEST_SCHOOL}`);
    let settled = false;
    const done = (outcome: string): void => {
      if (settled) return;
      settled = true;
      clearInterval(drip);
      resolve(outcome);
    };
    const req = httpRequest(
      target,
      {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${token}`,
          'Content-Type': 'application/json',
          'Transfer-Encoding': 'chunked',
        },
      },
      (res) => {
        res.resume();
        done(`answered ${res.statusCode ?? 0} while uploading`);
      },
    );
    req.on('error', (error: NodeJS.ErrnoException) => done(`connection ended: ${error.code ?? 'error'}`));
    req.write('{"items":[');
    const drip = setInterval(() => {
      if (Date.now() >= until) {
        req.destroy();
        done('still open at the end of the period (the bench hung up)');
        return;
      }
      req.write(' ');
    }, 2_000);
  });
}

/** Posts `[` × depth as an ingest body, again and again; counts the answers by status. */
async function deepJson(
  url: string,
  token: string,
  depth: number,
  until: number,
  into: { sent: number; statuses: Record<string, number> },
): Promise<void> {
  const body = '['.repeat(depth);
  while (Date.now() < until) {
    let status: string;
    try {
      const response = await fetch(`${url}/v1/ingest/somtoday?school=${INGEST_SCHOOL}`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body,
        signal: AbortSignal.timeout(Math.max(1_000, until - Date.now())),
      });
      await response.arrayBuffer().catch(() => undefined);
      status = String(response.status);
    } catch (error) {
      status = (error as Error).name === 'TimeoutError' ? 'no answer within the period' : 'connection error';
    }
    into.sent++;
    into.statuses[status] = (into.statuses[status] ?? 0) + 1;
    await sleep(2_000);
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const round = (n: number): number => Math.round(n * 1000) / 1000;
