import { type ErrorIssue, type RecordCoverage, type SourceSystemId, ValidationError } from '#domain';
import { INGEST_PAYLOAD_ERRORS } from './ingest-payload-error-codes.js';

/** A coverage longer than this is a mistake, not a school year (and would delete at scale). */
export const MAX_COVERAGE_DAYS = 400;

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function isDate(text: string): boolean {
  const m = DATE.exec(text);
  if (m === null) return false;
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return date.toISOString().slice(0, 10) === text;
}

/**
 * The coverage a payload declares (`from`/`to`, and `pupil` when given), or null when it declares none: then
 * nothing is deleted (ADR 0009). Both dates or neither; valid dates; `from` not after `to`.
 */
export function parseCoverage(
  school: string,
  system: SourceSystemId,
  input: { readonly from?: string; readonly to?: string; readonly pupil?: string },
): RecordCoverage | null {
  const from = input.from?.trim() || undefined;
  const to = input.to?.trim() || undefined;
  if (from === undefined && to === undefined) return null;
  const issues: ErrorIssue[] = [];
  for (const [field, value] of [
    ['from', from],
    ['to', to],
  ] as const) {
    if (value === undefined) {
      issues.push({
        field,
        code: INGEST_PAYLOAD_ERRORS.MISSING_FIELD,
        message: 'from and to go together (YYYY-MM-DD)',
      });
    } else if (!isDate(value)) {
      issues.push({ field, code: INGEST_PAYLOAD_ERRORS.INVALID_DATE, message: 'a date YYYY-MM-DD' });
    }
  }
  if (issues.length === 0 && from! > to!) {
    issues.push({
      field: 'to',
      code: INGEST_PAYLOAD_ERRORS.TO_BEFORE_FROM,
      message: 'to must not be before from',
    });
  }
  if (issues.length === 0) {
    const days = (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000 + 1;
    if (days > MAX_COVERAGE_DAYS) {
      issues.push({
        field: 'to',
        code: INGEST_PAYLOAD_ERRORS.COVERAGE_TOO_LONG,
        message: `a coverage spans at most ${MAX_COVERAGE_DAYS} days`,
      });
    }
  }
  if (issues.length > 0)
    throw new ValidationError(
      INGEST_PAYLOAD_ERRORS.COVERAGE_INVALID,
      'The declared coverage is invalid',
      issues,
    );
  const pupil = input.pupil?.trim() || undefined;
  return { school, system, from: from!, to: to!, ...(pupil === undefined ? {} : { pupil }) };
}
