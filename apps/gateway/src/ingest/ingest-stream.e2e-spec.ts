import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { type Server, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { IngestPayloadUseCase, type IngestResult } from '#application';
import type { Actor } from '#domain';
import { type Infrastructure, adapterFor } from '#runtime';
import { testDatabaseUrl } from '#testing';
import { type TestGateway, startTestGateway } from '../gateway.test-support.js';

const SHARED = fileURLToPath(new URL('../../../../../../shared/fixtures/source-systems/', import.meta.url));
const ADAPTERS = fileURLToPath(new URL('../../../../../libs/adapters/', import.meta.url));
const CLI = fileURLToPath(new URL('../../../cli/src/main.js', import.meta.url));
const run = promisify(execFile);

setFlagsFromString('--expose-gc');
/** A full garbage collection, for heap measurements (the runner does not pass --expose-gc). */
const collectGarbage = runInNewContext('gc') as () => void;

const BELL: readonly [string, string][] = [
  ['08:30', '09:20'],
  ['09:20', '10:10'],
  ['10:30', '11:20'],
  ['11:20', '12:10'],
  ['12:40', '13:30'],
  ['13:30', '14:20'],
  ['14:30', '15:20'],
  ['15:20', '16:10'],
];
const REASONS = [
  { absentieSoort: 'Absent', afkorting: 'ON', omschrijving: 'Ongeoorloofd', geoorloofd: false },
  { absentieSoort: 'Absent', afkorting: 'MB', omschrijving: 'Medisch bezoek', geoorloofd: true },
  { absentieSoort: 'Telaat', afkorting: 'TL', omschrijving: 'Te laat', geoorloofd: false },
];

/** One SOMtoday absentiemelding in the API's own shape (as the bench generator writes them), about 1 KB. */
function somtodayItem(i: number): string {
  const id = 4_400_000_000 + i;
  const pupil = 2_233_400_000 + ((i * 7919) % 20_000);
  const day = 5 + ((i * 31) % 20);
  const date = `2026-02-${String(day).padStart(2, '0')}`;
  const hour = 1 + (i % 8);
  const reason = REASONS[i % REASONS.length];
  const [start, end] = BELL[hour - 1];
  const until =
    reason.absentieSoort === 'Telaat' ? `${start.slice(0, 3)}${Number(start.slice(3)) + 12}` : end;
  return JSON.stringify({
    $type: 'participatie.RAbsentieMelding',
    links: [{ id, rel: 'self', type: 'participatie.RAbsentieMelding', href: `https://x.invalid/a/${id}` }],
    permissions: [],
    additionalObjects: {},
    leerling: {
      links: [
        { id: pupil, rel: 'self', type: 'leerling.RLeerlingPrimer', href: `https://x.invalid/l/${pupil}` },
      ],
      permissions: [],
      additionalObjects: {},
      UUID: '00000000-0000-4000-8000-000000000000',
      leerlingnummer: pupil - 2_233_000_000,
      roepnaam: 'Voornaam',
      achternaam: 'Achternaam',
    },
    absentieReden: {
      links: [
        { id: 8800, rel: 'self', type: 'participatie.RAbsentieRedenPrimer', href: 'https://x.invalid/r' },
      ],
      permissions: [],
      additionalObjects: {},
      ...reason,
    },
    datumTijdInvoer: `${date}T07:55:00.000+01:00`,
    beginDatumTijd: `${date}T${start}:00.000+01:00`,
    eindDatumTijd: `${date}T${until}:00.000+01:00`,
    beginLesuur: hour,
    eindLesuur: hour,
    afgehandeld: true,
    opmerkingen: 'vrije tekst',
  });
}

/** A SOMtoday payload of `count` items as text chunks of about 256 KB, generated as it is read. */
function* somtodayChunks(count: number): Generator<string> {
  let chunk = '{"items":[';
  for (let i = 0; i < count; i++) {
    chunk += (i === 0 ? '' : ',') + somtodayItem(i);
    if (chunk.length >= 256 * 1024) {
      yield chunk;
      chunk = '';
    }
  }
  yield chunk + ']}';
}

/** The items of a payload that are needed for at least `bytes` bytes. */
function itemsFor(bytes: number): number {
  return Math.ceil(bytes / (somtodayItem(0).length + 1));
}

interface Posted {
  status: number;
  body: Record<string, unknown>;
}

/**
 * POST through node:http, the body written chunk by chunk as generated (never whole on the client either);
 * `length` announces a Content-Length, else the body goes chunked. `cutAfter`: the client destroys the request
 * after that many chunks.
 */
function post(
  server: Server,
  path: string,
  token: string,
  chunks: Iterable<string>,
  options: { length?: number; cutAfter?: number } = {},
): Promise<Posted> {
  const { port } = server.address() as AddressInfo;
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        path,
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          ...(options.length === undefined ? {} : { 'content-length': String(options.length) }),
        },
      },
      (res) => {
        const parts: Buffer[] = [];
        res.on('data', (part: Buffer) => parts.push(part));
        res.on('end', () => {
          const text = Buffer.concat(parts).toString('utf8');
          resolve({
            status: res.statusCode ?? 0,
            body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
          });
        });
        res.on('error', reject);
      },
    );
    req.on('error', (error) => {
      if (options.cutAfter !== undefined) resolve({ status: 0, body: {} });
      else if (
        (error as { code?: string }).code === 'EPIPE' ||
        (error as { code?: string }).code === 'ECONNRESET'
      ) {
        // The server answered (413) before the client finished writing: the answer is still read above.
      } else reject(error);
    });
    const iterator = chunks[Symbol.iterator]();
    let sent = 0;
    const write = (): void => {
      for (;;) {
        if (options.cutAfter !== undefined && sent === options.cutAfter) {
          // Give the server time to read what was sent, then go away mid-body.
          setTimeout(() => req.destroy(), 200);
          return;
        }
        const next = iterator.next();
        if (next.done === true) {
          req.end();
          return;
        }
        sent++;
        if (!req.write(next.value)) {
          req.once('drain', write);
          return;
        }
      }
    };
    write();
  });
}

describe('gateway: ingest streams large payloads (PGlite by default; PostgreSQL when DATABASE_URL is set)', () => {
  let gateway: TestGateway;
  let small: TestGateway;
  let infra: Infrastructure;
  let server: Server;
  let dir: string;

  beforeAll(async () => {
    gateway = await startTestGateway();
    small = await startTestGateway({}, { INGEST_MAX_BYTES: String(8_000_000) });
    infra = gateway.infra;
    server = gateway.app.getHttpServer() as Server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    await new Promise<void>((resolve) =>
      (small.app.getHttpServer() as Server).listen(0, '127.0.0.1', resolve),
    );
    dir = await mkdtemp(join(tmpdir(), 'ketenpoort-stream-'));
  });

  afterAll(async () => {
    await gateway?.stop();
    await small?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const staffOf = (board: string): Actor => ({
    role: 'school_staff',
    subject: 'staff',
    board,
    schools: ['99XX'],
  });
  const tokenFor = (g: TestGateway, board: string): Promise<string> =>
    g.issuer.issue({ role: 'school_staff', sub: 'staff', board, schools: ['99XX'] });
  const newBoard = (prefix: string): string => `${prefix}-${randomUUID().slice(0, 8)}`;
  /** Every stored record with its version and hash, in a stable order. */
  const recordsOf = async (i: Infrastructure, board: string): Promise<unknown[]> =>
    i.dataSource.query(
      `SELECT record_id, version, content_hash, deleted, source_system, school_brin, date, payload
       FROM canonical_record_json WHERE board = $1 ORDER BY record_id`,
      [board],
    );
  const versionsOf = async (i: Infrastructure, board: string): Promise<unknown[]> =>
    i.dataSource.query(
      `SELECT record_id, version, content_hash, deleted FROM canonical_record_version
       WHERE board = $1 ORDER BY record_id, version`,
      [board],
    );
  const quarantineOf = async (i: Infrastructure, board: string): Promise<unknown[]> =>
    i.dataSource.query(
      `SELECT source_system, source_id, reason, detail, raw FROM quarantined_input WHERE board = $1
       ORDER BY source_id, reason, detail`,
      [board],
    );
  const countOf = async (i: Infrastructure, board: string): Promise<number> =>
    Number(
      (
        await i.dataSource.query<{ n: string }[]>(
          `SELECT count(*) AS n FROM canonical_record WHERE board = $1`,
          [board],
        )
      )[0].n,
    );
  const comparable = (result: IngestResult): Omit<IngestResult, 'batchId'> => {
    const { batchId, ...rest } = result;
    assert.equal(typeof batchId, 'string');
    return rest;
  };
  /** Text as UTF-8 chunks of `size` bytes (cutting through characters and tokens alike). */
  function* bytes(text: string, size: number): Generator<Uint8Array> {
    const all = Buffer.from(text, 'utf8');
    for (let i = 0; i < all.length; i += size) yield all.subarray(i, i + size);
  }

  it('stores exactly what execute stores: every fixture, stored timetables, a payload of several batches', async () => {
    const useCase = new IngestPayloadUseCase(
      infra.batches,
      infra.mappings,
      adapterFor,
      infra.clock,
      randomUUID,
      infra.timetables,
    );
    const zermelo = await readFile(join(SHARED, 'zermelo-appointments.json'), 'utf8');
    const cases: { system: string; file: string; pupil?: string; from?: string; to?: string }[] = [
      { system: 'somtoday', file: join(SHARED, 'somtoday-absentiemeldingen.json') },
      { system: 'somtoday', file: join(SHARED, 'somtoday-waarnemingen.json') },
      { system: 'magister', file: join(SHARED, 'magister-absenties.json'), pupil: '4216' },
      { system: 'eduarte', file: join(SHARED, 'eduarte-absentiemeldingen.json') },
      { system: 'eduarte', file: join(ADAPTERS, 'eduarte/fixtures/ok/reports-and-linked-checks.json') },
      { system: 'eduarte', file: join(ADAPTERS, 'eduarte/fixtures/ok/semicolon-export-with-bom.csv') },
      { system: 'csv', file: join(ADAPTERS, 'csv/fixtures/ok/vo-lesson-hours-semicolon-bom.csv') },
      { system: 'magister-mws', file: join(SHARED, 'magister-mws-verantwoordingen.xml') },
    ];
    for (const c of cases) {
      const payload = await readFile(c.file, 'utf8');
      const whole = newBoard('WHOLE');
      const streamed = newBoard('STREAM');
      for (const board of [whole, streamed]) {
        // A timetable stored earlier: the absences are measured against it on both paths.
        await useCase.execute({ actor: staffOf(board), system: 'zermelo', school: '99XX', payload: zermelo });
      }
      const command = { system: c.system, school: '99XX', pupil: c.pupil, from: c.from, to: c.to };
      const a = await useCase.execute({ ...command, actor: staffOf(whole), payload });
      const b = await useCase.executeStream({ ...command, actor: staffOf(streamed) }, bytes(payload, 97));
      expect(comparable(b)).toEqual(comparable(a)); // c.file
      assert.ok(a.recordCount + a.quarantinedCount > 0, c.file);
      expect(await recordsOf(infra, streamed)).toEqual(await recordsOf(infra, whole)); // c.file
      expect(await quarantineOf(infra, streamed)).toEqual(await quarantineOf(infra, whole)); // c.file
    }

    // 12,345 items: three parse batches of ≤ 5,000; then re-sent with a tenth changed (new versions).
    const whole = newBoard('WHOLE');
    const streamed = newBoard('STREAM');
    const first = [...somtodayChunks(12_345)].join('');
    const second = first.replace(/"afkorting":"ON","omschrijving":"Ongeoorloofd"/g, (m, offset: number) =>
      offset % 10 === 0 ? '"afkorting":"MB","omschrijving":"Ongeoorloofd"' : m,
    );
    for (const payload of [first, second]) {
      const a = await useCase.execute({ actor: staffOf(whole), system: 'somtoday', school: '99XX', payload });
      const b = await useCase.executeStream(
        { actor: staffOf(streamed), system: 'somtoday', school: '99XX' },
        bytes(payload, 65_536),
      );
      expect(comparable(b)).toEqual(comparable(a));
    }
    assert.equal(await countOf(infra, streamed), 12_345);
    expect(await recordsOf(infra, streamed)).toEqual(await recordsOf(infra, whole));
    const versions = await versionsOf(infra, streamed);
    assert.ok(versions.length > 0, 'the changed tenth made new versions');
    expect(versions).toEqual(await versionsOf(infra, whole));

    await assert.rejects(
      useCase.executeStream({ actor: staffOf(streamed), system: 'somtoday', school: '99XX' }, [
        '',
        ' \n',
        '\t',
      ]),
      (error: { code?: string }) => error.code === 'PAYLOAD_EMPTY',
    );
  });

  it('stores a ~50 MB payload POSTed as a stream completely, with heap growth well below its size', async () => {
    const board = newBoard('BIG');
    const token = await tokenFor(gateway, board);
    const count = itemsFor(50 * 1024 * 1024);
    let size = 0;
    for (const chunk of somtodayChunks(count)) size += Buffer.byteLength(chunk);
    // The live heap: sampled right after a full collection (garbage not yet collected says nothing).
    collectGarbage();
    const baseline = process.memoryUsage().heapUsed;
    let peak = baseline;
    const sampler = setInterval(() => {
      collectGarbage();
      peak = Math.max(peak, process.memoryUsage().heapUsed);
    }, 500);
    const started = Date.now();
    let res: Posted;
    try {
      res = await post(server, '/v1/ingest/somtoday?school=99XX', token, somtodayChunks(count), {
        length: size,
      });
    } finally {
      clearInterval(sampler);
    }
    const growth = peak - baseline;
    console.log(
      JSON.stringify({
        payloadBytes: size,
        items: count,
        seconds: (Date.now() - started) / 1000,
        liveHeapBaseline: baseline,
        liveHeapPeak: peak,
        heapGrowth: growth,
        growthOverPayload: Number((growth / size).toFixed(3)),
      }),
    );
    assert.equal(res.status, 202, JSON.stringify(res.body));
    assert.equal(res.body['recordCount'], count);
    assert.equal(res.body['quarantinedCount'], 0);
    assert.equal(await countOf(infra, board), count);
    // A parse batch or two are live at a time, never the payload.
    assert.ok(growth < 0.75 * size, `heap grew ${growth} bytes for a payload of ${size}`);

    // `ketenpoort import` of the same file stores the same records.
    const file = join(dir, 'somtoday-big.json');
    const out = createWriteStream(file);
    for (const chunk of somtodayChunks(count)) {
      if (!out.write(chunk)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
    }
    await new Promise<void>((resolve, reject) =>
      out.end((error?: Error | null) => (error ? reject(error) : resolve())),
    );
    const cliBoard = newBoard('CLI');
    const { stdout } = await run(
      process.execPath,
      [CLI, 'import', '--system', 'somtoday', '--input', file, '--board', cliBoard, '--school', '99XX'],
      { env: { ...process.env, DATABASE_URL: infra.databaseUrl, LOG_LEVEL: 'silent' }, maxBuffer: 1 << 24 },
    );
    const summary = JSON.parse(stdout) as Record<string, unknown>;
    assert.equal(summary['records'], count);
    assert.equal(summary['created'], count);
    assert.equal(summary['quarantined'], 0);
    const strip = (rows: unknown[]): unknown[] =>
      rows.map((row) => ({ ...(row as Record<string, unknown>), batch_id: undefined }));
    expect(strip(await recordsOf(infra, cliBoard))).toEqual(strip(await recordsOf(infra, board)));
  });

  it('keeps the items before a cut in the body and quarantines the tail', async () => {
    const board = newBoard('CUT');
    const token = await tokenFor(gateway, board);
    const text = [...somtodayChunks(7_000)].join('');
    // Cut in the middle of item 6,000 (the second parse batch): items 0–5,999 are whole.
    const cutAt = text.indexOf(`"id":${4_400_000_000 + 6_000},`) + 20;
    const res = await post(server, '/v1/ingest/somtoday?school=99XX', token, [text.slice(0, cutAt)]);
    assert.equal(res.status, 202, JSON.stringify(res.body));
    const kept = res.body['recordCount'] as number;
    assert.equal(kept, 6_000);
    assert.equal(await countOf(infra, board), kept);
    const quarantined = res.body['quarantined'] as { reason: string }[];
    assert.ok(quarantined.length >= 1);
    assert.ok(quarantined.every((q) => q.reason === 'MALFORMED_PAYLOAD'));
    const stored = (await quarantineOf(infra, board)) as { reason: string }[];
    assert.equal(stored.length, quarantined.length);
    assert.ok(stored.every((q) => q.reason === 'MALFORMED_PAYLOAD'));
  });

  it('refuses a body over INGEST_MAX_BYTES with 413, announced or counted as it streams, storing nothing', async () => {
    const board = newBoard('BIG');
    const token = await tokenFor(small, board);
    const smallServer = small.app.getHttpServer() as Server;
    const count = itemsFor(12_000_000);
    // Announced: refused before the body is read.
    const announced = await post(
      smallServer,
      '/v1/ingest/somtoday?school=99XX',
      token,
      somtodayChunks(count),
      {
        length: [...somtodayChunks(count)].reduce((n, c) => n + Buffer.byteLength(c), 0),
      },
    );
    assert.equal(announced.status, 413);
    assert.equal(announced.body['code'], 'PAYLOAD_TOO_LARGE');
    // Chunked: counted as the bytes flow; the batches already written are rolled back.
    const chunked = await post(smallServer, '/v1/ingest/somtoday?school=99XX', token, somtodayChunks(count));
    assert.equal(chunked.status, 413);
    assert.equal(chunked.body['code'], 'PAYLOAD_TOO_LARGE');
    assert.equal(await countOf(small.infra, board), 0);
    expect(await quarantineOf(small.infra, board)).toEqual([]);
    const batches = await small.infra.dataSource.query(`SELECT id FROM record_batch WHERE board = $1`, [
      board,
    ]);
    expect(batches).toEqual([]);
    // The same gateway still takes a payload under the limit.
    const fits = await post(smallServer, '/v1/ingest/somtoday?school=99XX', token, somtodayChunks(100));
    assert.equal(fits.status, 202);
    assert.equal(await countOf(small.infra, board), 100);
  });

  it('aborts the batch when the client goes away mid-body: nothing half-stored', async () => {
    const board = newBoard('GONE');
    const token = await tokenFor(gateway, board);
    // About 12 MB sent (two parse batches written), then the request is destroyed.
    const res = await post(server, '/v1/ingest/somtoday?school=99XX', token, somtodayChunks(40_000), {
      cutAfter: 48,
    });
    assert.equal(res.status, 0);
    // The server notices the reset and rolls the batch back: the same items sent again are all new, and stay
    // the only ones stored (on PGlite this send also waits for the broken batch's transaction to end).
    const again = await post(server, '/v1/ingest/somtoday?school=99XX', token, somtodayChunks(1_000));
    assert.equal(again.status, 202);
    assert.equal(again.body['recordCount'], 1_000);
    assert.equal((again.body['changes'] as { created: number }).created, 1_000);
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.equal(await countOf(infra, board), 1_000);
    const batches = await infra.dataSource.query(`SELECT id FROM record_batch WHERE board = $1`, [board]);
    assert.equal(batches.length, 1);
    if (testDatabaseUrl()) {
      // No transaction left open on the server by the broken request.
      const open = await infra.dataSource.query<{ n: string }[]>(
        `SELECT count(*) AS n FROM pg_stat_activity
         WHERE datname = current_database() AND state LIKE 'idle in transaction%'`,
      );
      assert.equal(Number(open[0].n), 0);
    }
  });
});
