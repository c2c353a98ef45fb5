import { hash } from 'node:crypto';
import type { CanonicalRecord } from '#domain';
import { RECORD_COLUMNS, RECORD_COLUMN_TYPES, recordFields } from './record-row.js';

/** The columns a canonical record is staged with, in COPY order (ADR 0009): its typed columns, then its hash. */
export const STAGE_COLUMNS = [...RECORD_COLUMNS, 'content_hash'] as const;
/** SQL types of `STAGE_COLUMNS`. */
export const STAGE_TYPES: readonly string[] = STAGE_COLUMNS.map((c) =>
  c === 'content_hash' ? 'text' : RECORD_COLUMN_TYPES[c],
);

/** Content hash of a record's canonical JSON: equal JSON, equal hash — a re-sent record is recognised. */
export function contentHash(json: string): string {
  // One-shot hashing: the same SHA-256 digest as a Hash object, without creating one per record.
  return hash('sha256', json, 'base64url');
}

/**
 * One staged row in `STAGE_COLUMNS` order (null for SQL NULL): the record's typed columns and the hash of its
 * canonical JSON — the JSON itself is not stored (ADR 0033), only what tells a re-sent record from a changed one.
 */
export function stageRow(record: CanonicalRecord): (string | null)[] {
  const row = recordFields(record);
  row.push(contentHash(JSON.stringify(record)));
  return row;
}

/**
 * Records straight to COPY text lines in `STAGE_COLUMNS` order — the same text as `copyText(records.map(stageRow))`
 * without a second array per record; `school` (the record's BRIN or `NO_SCHOOL`) is reported for each record.
 */
export function stageText(
  records: readonly CanonicalRecord[],
  school: (brin: string | null) => void,
): string {
  let out = '';
  for (const record of records) {
    school(record.school?.brin ?? null);
    const fields = recordFields(record);
    let line = '';
    for (const field of fields) line += copyField(field) + '\t';
    out += line + contentHash(JSON.stringify(record)) + '\n';
  }
  return out;
}

const NEEDS_ESCAPE = /[\\\t\n\r]/;

/** A value in PostgreSQL's COPY text format: backslash, tab and line breaks escaped; `\N` for NULL. */
export function copyField(value: string | null): string {
  if (value === null) return '\\N';
  if (!NEEDS_ESCAPE.test(value)) return value;
  return value.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
}

/** Records as COPY text lines, one string per slice (one write per slice, not per row). */
export function copyText(rows: readonly (readonly (string | null)[])[]): string {
  let out = '';
  for (const row of rows) {
    let line = copyField(row[0]);
    for (let i = 1; i < row.length; i++) line += '\t' + copyField(row[i]);
    out += line + '\n';
  }
  return out;
}

/** Column-wise arrays of rows, for `INSERT … SELECT * FROM unnest($1::text[], …)` (one statement per slice). */
export function columns(rows: readonly (readonly (string | null)[])[], width: number): (string | null)[][] {
  const out: (string | null)[][] = Array.from({ length: width }, () => new Array<string | null>(rows.length));
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r];
    for (let c = 0; c < width; c++) out[c][r] = row[c];
  }
  return out;
}
