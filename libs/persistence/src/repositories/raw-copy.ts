import { PassThrough } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { DataSource } from 'typeorm';
import type { CanonicalRecord } from '#domain';
import { STAGE_COLUMNS, STAGE_TYPES, copyText } from './bulk-rows.js';
import { bulkModeOf } from './canonical-record.writer.js';

/** The columns of `canonical_record` in the order `rawCopyRows` expects its COPY text. */
export const CANONICAL_RECORD_COPY_COLUMNS = [
  'board',
  ...STAGE_COLUMNS,
  'batch_id',
  'version',
  'deleted',
] as const;

/**
 * The engine limit of `bench ingest`: prepared COPY text (`CANONICAL_RECORD_COPY_COLUMNS`) into `canonical_record`
 * in one transaction, rolled back afterwards; returns rows per second. The batch row the records reference is
 * created first. PGlite's socket has no COPY: there the same rows go in as one multi-row INSERT per slice.
 */
export function rawCopyRows(
  dataSource: DataSource,
  board: string,
  batchId: string,
  slices: readonly (readonly (string | null)[])[][],
  copyText: (rows: readonly (readonly (string | null)[])[]) => string,
): Promise<{ rowsPerSecond: number; method: string }> {
  return copyRows(dataSource, board, batchId, slices, copyText, false);
}

/**
 * The same COPY, committed: a benchmark's board loaded in bulk (`bench console`: two million records of a school
 * year, which through the ingest API would take the whole run). The batch is stored as PROCESSED.
 */
export function keepCanonicalRows(
  dataSource: DataSource,
  board: string,
  batchId: string,
  slices: readonly (readonly (string | null)[])[][],
  copyText: (rows: readonly (readonly (string | null)[])[]) => string,
): Promise<{ rowsPerSecond: number; method: string }> {
  return copyRows(dataSource, board, batchId, slices, copyText, true);
}

/** Types of `CANONICAL_RECORD_COPY_COLUMNS`, for the multi-row INSERT on PGlite. */
const CANONICAL_RECORD_COPY_TYPES: readonly string[] = ['text', ...STAGE_TYPES, 'uuid', 'int', 'boolean'];

/**
 * The narrow reference table of `bench ingest` (issue 18): the same records' information in typed columns, with
 * no `jsonb` copy, no key, no constraint and no index: what the engine itself can take in on this machine.
 */
export const NARROW_RECORD_COLUMNS: readonly (readonly [string, string])[] = [
  ['board', 'text'],
  ['record_id', 'text'],
  ['source_id', 'text'],
  ['pupil_local_id', 'text'],
  ['school_brin', 'text'],
  ['date', 'date'],
  ['start_at', 'timestamptz'],
  ['end_at', 'timestamptz'],
  ['whole_day', 'boolean'],
  ['lesson_hour_from', 'smallint'],
  ['lesson_hour_to', 'smallint'],
  ['category', 'text'],
  ['legal_class', 'text'],
  ['registered_via', 'text'],
  ['missed_minutes', 'integer'],
  ['missed_lessons', 'integer'],
  ['reason_code', 'text'],
];

/** A canonical record as a row of `NARROW_RECORD_COLUMNS`. */
export function narrowRow(board: string, record: CanonicalRecord): (string | null)[] {
  const text = (n: number | null): string | null => (n === null ? null : String(n));
  return [
    board,
    record.recordId,
    record.sourceId,
    record.pupil.localId,
    record.school?.brin ?? null,
    record.date,
    record.start,
    record.end,
    record.wholeDay ? 't' : 'f',
    text(record.lessonHourFrom),
    text(record.lessonHourTo),
    record.category,
    record.legalClass,
    record.registeredVia,
    text(record.missedMinutes),
    text(record.missedLessons),
    record.reasonCode,
  ];
}

/**
 * The engine limit of `bench ingest` (issue 18): the rows of `NARROW_RECORD_COLUMNS` into a temporary table with
 * no index, in one transaction rolled back afterwards; rows per second.
 */
export async function narrowCopyRows(
  dataSource: DataSource,
  slices: readonly (readonly (string | null)[])[][],
): Promise<{ rowsPerSecond: number; method: string }> {
  const copy = (await bulkModeOf(dataSource)) === 'copy';
  const texts = copy ? slices.map((rows) => copyText(rows)) : [];
  const runner = dataSource.createQueryRunner();
  const client = (await runner.connect()) as PoolClient;
  try {
    await client.query('BEGIN');
    await client.query(
      `CREATE TEMP TABLE bench_narrow_record (${NARROW_RECORD_COLUMNS.map(([c, t]) => `${c} ${t}`).join(', ')})
       ON COMMIT DROP`,
    );
    const started = process.hrtime.bigint();
    await writeRows(client, 'bench_narrow_record', NARROW_RECORD_COLUMNS, slices, copy ? texts : null);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    return {
      rowsPerSecond: Math.round(slices.reduce((n, c) => n + c.length, 0) / seconds),
      method: copy
        ? 'COPY FROM STDIN of the same records into a narrow table: typed columns, no jsonb, no key, no index'
        : 'multi-row INSERT of the same records into a narrow table (the PGlite socket has no COPY)',
    };
  } finally {
    await client.query('ROLLBACK').catch(() => undefined);
    await runner.release();
  }
}

async function copyRows(
  dataSource: DataSource,
  board: string,
  batchId: string,
  slices: readonly (readonly (string | null)[])[][],
  copyText: (rows: readonly (readonly (string | null)[])[]) => string,
  keep: boolean,
): Promise<{ rowsPerSecond: number; method: string }> {
  const copy = (await bulkModeOf(dataSource)) === 'copy';
  const texts = copy ? slices.map((rows) => copyText(rows)) : [];
  const rows = slices.reduce((n, c) => n + c.length, 0);
  const runner = dataSource.createQueryRunner();
  const client = (await runner.connect()) as PoolClient;
  try {
    await client.query('BEGIN');
    await client.query(
      `INSERT INTO record_batch (id, board, schools, status, record_count, submitted_by, received_at)
       VALUES ($1, $2, '{}', $3, $4, 'bench', now())`,
      [batchId, board, keep ? 'PROCESSED' : 'RECEIVED', keep ? rows : 0],
    );
    const started = process.hrtime.bigint();
    await writeRows(
      client,
      'canonical_record',
      CANONICAL_RECORD_COPY_COLUMNS.map((c, i) => [c, CANONICAL_RECORD_COPY_TYPES[i]] as const),
      slices,
      copy ? texts : null,
    );
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    if (keep) await client.query('COMMIT');
    return {
      rowsPerSecond: Math.round(rows / seconds),
      method: copy
        ? 'COPY FROM STDIN of the same rows into canonical_record'
        : 'multi-row INSERT of the same rows into canonical_record (the PGlite socket has no COPY)',
    };
  } finally {
    // After a COMMIT this is a no-op; otherwise the rows (and the batch row) go again.
    await client.query('ROLLBACK').catch(() => undefined);
    await runner.release();
  }
}

/** The rows into `table`: the prepared COPY texts when given, else one multi-row INSERT per 5,000 rows. */
async function writeRows(
  client: PoolClient,
  table: string,
  typed: readonly (readonly [string, string])[],
  slices: readonly (readonly (string | null)[])[][],
  texts: readonly string[] | null,
): Promise<void> {
  const columns = typed.map(([c]) => c).join(', ');
  if (texts !== null) {
    const source = new PassThrough();
    const done = pipeline(source, client.query(copyFrom(`COPY ${table} (${columns}) FROM STDIN`)));
    for (const text of texts) {
      if (!source.write(text)) await new Promise((resolve) => source.once('drain', resolve));
    }
    source.end();
    await done;
    return;
  }
  const select = typed.map(([c, t]) => (t === 'text' ? c : `${c}::${t}`));
  const params = typed.map((_, i) => `$${i + 1}::text[]`);
  for (const slice of slices) {
    for (let i = 0; i < slice.length; i += 5_000) {
      const statementRows = slice.slice(i, i + 5_000);
      await client.query(
        `INSERT INTO ${table} (${columns}) SELECT ${select.join(', ')}
         FROM unnest(${params.join(', ')}) AS u(${columns})`,
        typed.map((_, c) => statementRows.map((row) => row[c])),
      );
    }
  }
}
