import { randomUUID } from 'node:crypto';
import { type IngestResult, NormalisePayloadUseCase } from '#application';
import { loadSettings, processEnv } from '#config';
import type { Actor } from '#domain';
import { type DataSource, EmbeddedPostgres, openDatabase } from '#persistence';
import { bulkModeOf, copyText, narrowCopyRows, narrowRow, rawCopyRows, stageRow } from '#persistence/bench';
import { adapterFor } from '#runtime';
import { ingestUseCase } from '../commands/import.command.js';
import { UsageError } from '../commands/read-input.js';
import { somtodayPayload } from './generate-payloads.js';

/** Payload parts of this many items: one SOMtoday page each, as a pull or a chunked export delivers them. */
const PART = 20_000;
const SCHOOL = '99XX';
/**
 * The references are measured on at most this many of the same records, prepared in memory beforehand so that only
 * the database is timed; a COPY's rate does not depend on how many rows follow.
 */
const REFERENCE_RECORDS = 500_000;
interface Phase {
  readonly seconds: number;
  readonly recordsPerSecond: number;
  readonly created: number;
  readonly updated: number;
  readonly deleted: number;
  readonly unchanged: number;
}

/**
 * `bench ingest`: generated SOMtoday payloads through the real ingest path (adapter → normalise → staged bulk
 * write → set-based versioned upsert → outbox) into PostgreSQL (DATABASE_URL) or embedded PGlite; then the same
 * batch again (must change nothing), then with 10 % of the items changed (exactly those must be updated). Two
 * references, measured in the same run (issue 18): the engine limit — COPY of the same records' information into
 * a narrow table with no index — and COPY of the same rows into the store's own table.
 */
export async function runIngestBench(recordsOption: string | undefined): Promise<number> {
  const records = Number(recordsOption ?? 1_000_000);
  if (!Number.isInteger(records) || records < 1) throw new UsageError('--records must be a positive integer');
  const settings = loadSettings(processEnv());
  const embedded = settings.databaseUrl === null ? await EmbeddedPostgres.start(null) : null;
  const dataSource = await openDatabase({ url: settings.databaseUrl ?? embedded!.url, poolSize: 2 });
  const board = `BENCH-${randomUUID().slice(0, 8)}`;
  try {
    const result = await bench(dataSource, board, records, embedded !== null);
    process.stdout.write(JSON.stringify(result) + '\n');
    return 0;
  } finally {
    await cleanUp(dataSource, board).catch(() => undefined);
    await dataSource.destroy();
    await embedded?.stop();
  }
}

async function bench(
  dataSource: DataSource,
  board: string,
  records: number,
  embedded: boolean,
): Promise<Record<string, unknown>> {
  // Parts are generated as the ingest asks for them (one part in memory at a time): the peak memory measured is
  // the ingest's own, for any number of records.
  const parts = (): Iterable<string> => payloadParts(records);
  const changedParts = (): Iterable<string> => changeTenPercent(payloadParts(records));
  const changedItems = tenPercentOf(records);
  const actor: Actor = { role: 'school_staff', subject: 'bench', board, schools: [SCHOOL] };
  const useCase = ingestUseCase(dataSource);
  const command = { actor, system: 'somtoday', school: SCHOOL };

  const run = async (payloads: Iterable<string>): Promise<{ phase: Phase; result: IngestResult }> => {
    const generating = timed(payloads);
    const started = process.hrtime.bigint();
    const result = await useCase.executeParts(command, generating.parts);
    // The time spent generating the parts is the bench's, not the ingest's.
    const seconds = (Number(process.hrtime.bigint() - started) - generating.nanoseconds()) / 1e9;
    return {
      result,
      phase: {
        seconds: round(seconds),
        recordsPerSecond: Math.round(result.recordCount / seconds),
        ...result.changes,
      },
    };
  };
  const initial = await run(parts());
  const canonical = initial.result.recordCount;
  if (initial.phase.created !== canonical)
    throw new Error('bench: the first batch did not create every record');
  const resend = await run(parts());
  if (resend.phase.created + resend.phase.updated + resend.phase.deleted !== 0) {
    throw new Error('bench: re-sending the same batch changed records');
  }
  const changed = await run(changedParts());
  if (changed.phase.updated !== changedItems || changed.phase.created + changed.phase.deleted !== 0) {
    throw new Error(`bench: expected ${changedItems} updated records, got ${changed.phase.updated}`);
  }

  // The ingest's peak, read before the references prepare their rows in memory.
  const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
  const referenceRecords = Math.min(records, REFERENCE_RECORDS);
  const { narrow, store: copy } = await referenceRates(dataSource, [...payloadParts(referenceRecords)]);
  const recordsPerSecond = initial.phase.recordsPerSecond;
  return {
    scenario: 'ingest',
    records: canonical,
    seconds: initial.phase.seconds,
    recordsPerSecond,
    engineLimitRecordsPerSecond: narrow.rowsPerSecond,
    ratio: round(recordsPerSecond / narrow.rowsPerSecond),
    storeCopyRecordsPerSecond: copy.rowsPerSecond,
    ratioToStoreCopy: round(recordsPerSecond / copy.rowsPerSecond),
    resendSpeedup: round(resend.phase.recordsPerSecond / recordsPerSecond),
    peakRssMb,
    referenceRecords,
    mode: embedded ? 'embedded PGlite (in memory)' : 'PostgreSQL (DATABASE_URL)',
    bulkWrite: (await bulkModeOf(dataSource)) === 'copy' ? 'COPY into a staging table' : 'multi-row INSERT',
    engineLimit: narrow.method,
    storeCopy: copy.method,
    system: 'somtoday',
    phases: { initial: initial.phase, resend: resend.phase, changed10pct: changed.phase },
    changedItems,
    copyRowsPerSecond: copy.rowsPerSecond,
    impliedSecondsFor11MillionMarks: Math.round(11_000_000 / recordsPerSecond),
    quarantined: initial.result.quarantinedCount,
  };
}

/** The generated SOMtoday payload of `records` items, `PART` items a part, made one part at a time. */
function* payloadParts(records: number): Generator<string> {
  for (let done = 0, seed = 1; done < records; done += PART, seed++) {
    yield somtodayPayload(Math.min(PART, records - done), seed);
  }
}

/** Every tenth item of each part gets another reason code: its canonical record changes, nothing else does. */
function* changeTenPercent(parts: Iterable<string>): Generator<string> {
  for (const part of parts) {
    const payload = JSON.parse(part) as { items: { absentieReden: { afkorting: string } }[] };
    payload.items.forEach((item, i) => {
      if (i % 10 === 0) item.absentieReden.afkorting += 'X';
    });
    yield JSON.stringify(payload);
  }
}

/** The parts, with the time spent making each one (a generator runs when the next part is asked for). */
function timed(parts: Iterable<string>): { parts: Iterable<string>; nanoseconds: () => number } {
  let spent = 0n;
  const iterator = parts[Symbol.iterator]();
  const each = function* (): Generator<string> {
    for (;;) {
      const started = process.hrtime.bigint();
      const next = iterator.next();
      spent += process.hrtime.bigint() - started;
      if (next.done === true) return;
      yield next.value;
    }
  };
  return { parts: each(), nanoseconds: () => Number(spent) };
}

/** How many items `changeTenPercent` changes in the payload of `records` items. */
function tenPercentOf(records: number): number {
  let changed = 0;
  for (let done = 0; done < records; done += PART) changed += Math.ceil(Math.min(PART, records - done) / 10);
  return changed;
}

/**
 * The two references, from the same records (prepared beforehand: only the database is timed): COPY into a narrow
 * table with no index (the engine limit), and raw COPY of the stored rows into the store's own table.
 */
async function referenceRates(
  dataSource: DataSource,
  parts: readonly string[],
): Promise<{
  narrow: { rowsPerSecond: number; method: string };
  store: { rowsPerSecond: number; method: string };
}> {
  const normalise = new NormalisePayloadUseCase();
  const adapter = adapterFor('somtoday');
  const board = `BENCH-COPY-${randomUUID().slice(0, 8)}`;
  const batchId = randomUUID();
  const records = parts.map((payload) =>
    normalise
      .execute({ adapter, payload, mapping: null, timetable: null, bellSchedule: null })
      .records.map((r) => ({ ...r, school: { brin: SCHOOL } })),
  );
  const narrow = await narrowCopyRows(
    dataSource,
    records.map((slice) => slice.map((r) => narrowRow(board, r))),
  );
  const store = await rawCopyRows(
    dataSource,
    board,
    batchId,
    records.map((slice) => slice.map((r) => [board, ...stageRow(r), batchId, '1', 'f'])),
    copyText,
  );
  return { narrow, store };
}

/** The bench's board leaves nothing behind (records, versions, lessons, batches, events). */
async function cleanUp(dataSource: DataSource, board: string): Promise<void> {
  const batches = `SELECT id::text FROM record_batch WHERE board = $1`;
  await dataSource.query(`DELETE FROM outbox WHERE payload->>'batchId' IN (${batches})`, [board]);
  for (const table of ['canonical_record_version', 'canonical_record', 'quarantined_input', 'lesson']) {
    await dataSource.query(`DELETE FROM ${table} WHERE board = $1`, [board]);
  }
  await dataSource.query(`DELETE FROM record_batch WHERE board = $1`, [board]);
}

const round = (n: number): number => Math.round(n * 1000) / 1000;
