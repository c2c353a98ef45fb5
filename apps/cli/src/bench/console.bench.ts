import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSettings, processEnv } from '#config';
import { type DataSource, openDatabase } from '#persistence';
import { copyText, keepCanonicalRows, stageRow } from '#persistence/bench';
import { deleteBrokerNamespace } from '#runtime';
import { UsageError } from '../commands/read-input.js';
import { BENCH_CALENDAR, generateBoard } from './evaluate.bench.js';
import { type Latencies, demoTokens, latencies, startGateway, summary, timed } from './gateway-child.js';

const BOARD = 'BOARD-DEMO';
const SCHOOL = '99XX';
/** Requests per page kind, one after another (a person's page loads), after a warm-up of a tenth of them. */
const SAMPLES = 200;
const PAGE_SIZE = 50;
const TARGET_P95_MS = 200;

export interface ConsoleBenchOptions {
  readonly pupils?: string;
}

/** One kind of page the console loads, and the API call(s) behind it. */
interface PageKind {
  readonly name: string;
  /** The path of the n-th sample (varied: other pages, filters, pupils). */
  path(n: number): string;
}

/**
 * `bench console`: the school staff's workspace as the console asks for it, on the 30,000-pupil bench board (the
 * board of `bench evaluate`: one school year of records, its signals and drafts) in PostgreSQL. The board is
 * loaded through the gateway's own paths where a school would use them (calendar, pupils, evaluation); the records
 * go in by COPY (2 million of them through the API would take the whole run). Then each page kind is asked for
 * `SAMPLES` times with the school staff's token: p50/p95/p99 per page, target p95 < 200 ms. Contracts §8: `records`
 * are the page requests, the engine limit is the database's own rate for the least query a werkvoorraad page
 * needs (the scope's open reports in deadline order, one page), asked the same number of times in this run.
 */
export async function runConsoleBench(options: ConsoleBenchOptions): Promise<number> {
  const settings = loadSettings(processEnv());
  if (!settings.databaseUrl) {
    throw new UsageError(
      'bench console runs against PostgreSQL: set DATABASE_URL (an empty scratch database)',
    );
  }
  const pupilCount = Number(options.pupils ?? 30_000);
  if (!Number.isInteger(pupilCount) || pupilCount < 100 || pupilCount > 200_000) {
    throw new UsageError('--pupils must be a whole number between 100 and 200,000');
  }
  const dataDir = await mkdtemp(join(tmpdir(), 'ketenpoort-bench-console-'));
  const namespace = `kp-console-${randomUUID().slice(0, 8)}`;
  let database: DataSource | null = null;
  let gateway: Awaited<ReturnType<typeof startGateway>> | null = null;
  try {
    database = await openDatabase({ url: settings.databaseUrl, poolSize: 2 });
    gateway = await startGateway(settings, dataDir, namespace, { demoData: false });
    const tokens = await demoTokens(gateway.url);
    const staff = tokens.get('school_staff');
    if (staff === undefined) throw new Error('bench: the local issuer handed out no school_staff token');

    const loaded = await loadBoard(gateway.url, staff, database, pupilCount);

    const pages: PageKind[] = [
      {
        // The werkvoorraad as it opens, then paged and filtered the ways the form allows.
        name: 'werkvoorraad',
        path: (n) =>
          `/v1/worklist?pageSize=${PAGE_SIZE}&page=${(n % 5) + 1}` +
          (n % 3 === 1 ? `&school=${SCHOOL}` : '') +
          (n % 4 === 2 ? `&rule=${encodeURIComponent(loaded.rules[n % loaded.rules.length] ?? '')}` : ''),
      },
      {
        name: 'dagelijkse controles',
        path: (n) => `/v1/worklist/daily-checks?pageSize=${PAGE_SIZE}&page=${(n % 3) + 1}`,
      },
      {
        // The pupil page: roster data, 12 school weeks of lessons, windows, evidence and reports of a pupil with a
        // report (the pupils people open from the werkvoorraad).
        name: 'leerling',
        path: (n) =>
          `/v1/schools/${SCHOOL}/pupils/${encodeURIComponent(loaded.pupils[n % loaded.pupils.length] ?? '')}/overview`,
      },
      {
        name: 'dossier',
        path: (n) => `/v1/cases/${loaded.reports[n % loaded.reports.length] ?? ''}`,
      },
    ];
    const results: Record<string, Record<string, number>> = {};
    const started = performance.now();
    let requests = 0;
    for (const page of pages) {
      const warm = latencies();
      for (let n = 0; n < SAMPLES / 10; n++) await ask(gateway.url, staff, page.path(n), warm);
      const measured = latencies();
      for (let n = 0; n < SAMPLES; n++) await ask(gateway.url, staff, page.path(n + 7), measured);
      requests += SAMPLES;
      results[page.name] = summary(measured);
    }
    // The werkvoorraad right after a change (someone approved, the evaluation wrote): the kept grouping no longer
    // holds and the page groups the scope again. A report's last change is touched before each sample.
    const cold = latencies();
    for (let n = 0; n < SAMPLES / 4; n++) {
      await database.query(`UPDATE report SET updated_at = now() WHERE id = $1::uuid`, [
        loaded.reports[n % loaded.reports.length],
      ]);
      await ask(gateway.url, staff, `/v1/worklist?pageSize=${PAGE_SIZE}`, cold);
    }
    requests += SAMPLES / 4;
    results['werkvoorraad na een wijziging'] = summary(cold);
    const seconds = (performance.now() - started) / 1000;
    const floor = await databaseFloor(database);
    const rate = requests / seconds;
    const worst = Math.max(...Object.values(results).map((r) => r['p95Ms'] ?? 0));
    process.stdout.write(
      JSON.stringify({
        scenario: 'console',
        records: requests,
        seconds: round(seconds),
        recordsPerSecond: Math.round(rate),
        engineLimitRecordsPerSecond: Math.round(floor),
        ratio: round(rate / floor),
        peakRssMb: Math.round(process.memoryUsage().rss / 1024 / 1024),
        engineLimit:
          "PostgreSQL's own rate for one werkvoorraad page of open reports in deadline order, asked as often in this run",
        board: { pupils: pupilCount, ...loaded.counts },
        pages: results,
        targets: { p95Ms: TARGET_P95_MS, met: worst < TARGET_P95_MS },
        mode: `PostgreSQL (DATABASE_URL)${settings.amqpUrl ? ' + RabbitMQ (AMQP_URL)' : ''}`,
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

async function ask(url: string, token: string, path: string, into: Latencies): Promise<void> {
  const status = await timed(`${url}${path}`, { headers: { Authorization: `Bearer ${token}` } }, into);
  if (status !== 200) throw new Error(`bench: ${path} answered ${status}`);
}

interface LoadedBoard {
  readonly counts: Record<string, number | boolean>;
  /** Rules with open signals, to vary the samples over. */
  readonly rules: string[];
  /** Report ids of open drafts spread over the board (a case opens by any of its reports). */
  readonly reports: string[];
  /** Pupils with an open draft, spread over the board. */
  readonly pupils: string[];
}

/** The bench board into the demo board's school 99XX: calendar, pupils (API), records (COPY), evaluation (API). */
async function loadBoard(
  url: string,
  token: string,
  database: DataSource,
  pupilCount: number,
): Promise<LoadedBoard> {
  const rulesOf = async (): Promise<string[]> => {
    const rows: { rule: string }[] = await database.query(
      `SELECT DISTINCT rule FROM signal WHERE board = $1 ORDER BY rule`,
      [BOARD],
    );
    return rows.map((r) => r.rule);
  };
  const drafts = async (): Promise<{ reports: string[]; pupils: string[] }> => {
    const rows: { id: string; pupil: string }[] = await database.query(
      `SELECT id, pupil_local_id AS pupil FROM report WHERE board = $1 AND school = $2 AND status = 'DRAFT'
       ORDER BY md5(id::text) LIMIT 100`,
      [BOARD, SCHOOL],
    );
    return { reports: rows.map((r) => r.id), pupils: [...new Set(rows.map((r) => r.pupil))] };
  };
  // A database that holds this board already (a second run on the same scratch database) is measured as it is:
  // loading takes minutes, the pages are what this bench times.
  const [present] = await database.query<{ pupils: number; drafts: number }[]>(
    `SELECT (SELECT count(*)::int FROM pupil WHERE board = $1 AND school_brin = $2) AS pupils,
            (SELECT count(*)::int FROM report WHERE board = $1 AND school = $2) AS drafts`,
    [BOARD, SCHOOL],
  );
  if (present !== undefined && present.pupils === pupilCount && present.drafts > 0) {
    return {
      counts: { reused: true, drafts: present.drafts },
      rules: await rulesOf(),
      ...(await drafts()),
    };
  }
  const phase = timer();
  const board = generateBoard(pupilCount);
  const headers = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
  await send(url, `/v1/schools/${SCHOOL}/calendar`, 'PUT', headers, BENCH_CALENDAR);

  // Pupils through the API, eight at a time (the registry encrypts and pseudonymises as in production).
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < board.pupils.length; i = next++) {
      const pupil = board.pupils[i];
      if (pupil === undefined) return;
      await send(url, `/v1/pupils/${encodeURIComponent(pupil.localId)}`, 'PUT', headers, {
        school: SCHOOL,
        birthDate: pupil.birthDate,
        sector: pupil.sector,
        enrolledFrom: '2025-08-01',
        ...(pupil.startkwalificatie === undefined ? {} : { startkwalificatie: pupil.startkwalificatie }),
      });
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
  const pupilsSeconds = phase();

  const batchId = randomUUID();
  const rows = board.records.map((r) => [BOARD, ...stageRow(r), batchId, '1', 'f']);
  const slices: (string | null)[][][] = [];
  for (let i = 0; i < rows.length; i += 50_000) slices.push(rows.slice(i, i + 50_000));
  await keepCanonicalRows(database, BOARD, batchId, slices, copyText);
  const recordsSeconds = phase();

  const evaluation = (await send(
    url,
    `/v1/schools/${SCHOOL}/signals/evaluate?asOf=${board.schoolDays.at(-1) ?? ''}`,
    'POST',
    headers,
    undefined,
  )) as Record<string, unknown>;
  const evaluateSeconds = phase();
  return {
    counts: {
      reused: false,
      records: board.records.length,
      signals: Number(evaluation['opened'] ?? 0),
      drafts: Number(evaluation['drafts'] ?? 0),
      pupilsSeconds: round(pupilsSeconds),
      recordsSeconds: round(recordsSeconds),
      evaluateSeconds: round(evaluateSeconds),
    },
    rules: await rulesOf(),
    ...(await drafts()),
  };
}

async function send(
  url: string,
  path: string,
  method: string,
  headers: Record<string, string>,
  body: unknown,
): Promise<unknown> {
  const response = await fetch(`${url}${path}`, {
    method,
    headers,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    signal: AbortSignal.timeout(1_800_000),
  });
  const text = await response.text();
  if (!response.ok)
    throw new Error(`bench: ${method} ${path} answered ${response.status}: ${text.slice(0, 500)}`);
  return text.length === 0 ? null : (JSON.parse(text) as unknown);
}

/** The database alone: one page of the school's open reports in deadline order, requests per second. */
async function databaseFloor(database: DataSource): Promise<number> {
  const started = performance.now();
  for (let n = 0; n < SAMPLES; n++) {
    await database.query(
      `SELECT id, kind, status, fields, deadline FROM report
       WHERE board = $1 AND school = $2 AND status = 'DRAFT'
       ORDER BY deadline NULLS LAST, id LIMIT $3 OFFSET $4`,
      [BOARD, SCHOOL, PAGE_SIZE, (n % 5) * PAGE_SIZE],
    );
  }
  return SAMPLES / ((performance.now() - started) / 1000);
}

/** Seconds since the last call (or since it was made). */
function timer(): () => number {
  let last = performance.now();
  return () => {
    const now = performance.now();
    const seconds = (now - last) / 1000;
    last = now;
    return seconds;
  };
}

const round = (n: number): number => Math.round(n * 1000) / 1000;
