import { PassThrough } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { DataSource } from 'typeorm';
import { STAGE_COLUMNS } from './bulk-rows.js';
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
  const columns = CANONICAL_RECORD_COPY_COLUMNS.join(', ');
  try {
    await client.query('BEGIN');
    await client.query(
      `INSERT INTO record_batch (id, board, schools, status, record_count, submitted_by, received_at)
       VALUES ($1, $2, '{}', $3, $4, 'bench', now())`,
      [batchId, board, keep ? 'PROCESSED' : 'RECEIVED', keep ? rows : 0],
    );
    const started = process.hrtime.bigint();
    if (copy) {
      const source = new PassThrough();
      const done = pipeline(source, client.query(copyFrom(`COPY canonical_record (${columns}) FROM STDIN`)));
      for (const text of texts) {
        if (!source.write(text)) await new Promise((resolve) => source.once('drain', resolve));
      }
      source.end();
      await done;
    } else {
      const types = [
        'text',
        'text',
        'text',
        'text',
        'text',
        'text',
        'date',
        'text',
        'text',
        'text',
        'jsonb',
        'uuid',
        'int',
        'boolean',
      ];
      const select = CANONICAL_RECORD_COPY_COLUMNS.map((c, i) =>
        types[i] === 'text' ? c : `${c}::${types[i]}`,
      );
      const params = CANONICAL_RECORD_COPY_COLUMNS.map((_, i) => `$${i + 1}::text[]`);
      for (const slice of slices) {
        for (let i = 0; i < slice.length; i += 5_000) {
          const statementRows = slice.slice(i, i + 5_000);
          await client.query(
            `INSERT INTO canonical_record (${columns}) SELECT ${select.join(', ')}
             FROM unnest(${params.join(', ')}) AS u(${columns})`,
            CANONICAL_RECORD_COPY_COLUMNS.map((_, c) => statementRows.map((row) => row[c])),
          );
        }
      }
    }
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
