import { hash } from 'node:crypto';
import type { CanonicalRecord } from '#domain';

/** The columns a canonical record is staged with, in COPY order (ADR 0009). */
export const STAGE_COLUMNS = [
  'record_id',
  'source_id',
  'source_system',
  'pupil_local_id',
  'school_brin',
  'date',
  'category',
  'legal_class',
  'content_hash',
  'payload',
] as const;

/** Content hash of a record's canonical JSON: equal JSON, equal hash — a re-sent record is recognised. */
export function contentHash(json: string): string {
  // One-shot hashing: the same SHA-256 digest as a Hash object, without creating one per record.
  return hash('sha256', json, 'base64url');
}

/** One staged row: the record's columns as text (null for SQL NULL), the JSON last. */
export function stageRow(record: CanonicalRecord): (string | null)[] {
  const json = JSON.stringify(record);
  return [
    record.recordId,
    record.sourceId,
    record.sourceSystem,
    record.pupil.localId,
    record.school?.brin ?? null,
    record.date,
    record.category,
    record.legalClass,
    contentHash(json),
    json,
  ];
}

/**
 * Records straight to COPY text lines in `STAGE_COLUMNS` order — the same text as `copyText(records.map(stageRow))`
 * without an array per record; `school` (the record's BRIN or `NO_SCHOOL`) is reported for each record.
 */
export function stageText(
  records: readonly CanonicalRecord[],
  school: (brin: string | null) => void,
): string {
  let out = '';
  for (const record of records) {
    const json = JSON.stringify(record);
    const brin = record.school?.brin ?? null;
    school(brin);
    out +=
      copyField(record.recordId) +
      '\t' +
      copyField(record.sourceId) +
      '\t' +
      copyField(record.sourceSystem) +
      '\t' +
      copyField(record.pupil.localId) +
      '\t' +
      copyField(brin) +
      '\t' +
      copyField(record.date) +
      '\t' +
      copyField(record.category) +
      '\t' +
      copyField(record.legalClass) +
      '\t' +
      contentHash(json) +
      '\t' +
      copyField(json) +
      '\n';
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
