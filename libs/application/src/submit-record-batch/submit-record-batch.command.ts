import {
  type Actor,
  type CanonicalRecord,
  type ErrorIssue,
  ValidationError,
  isConsistentLegalClass,
  requireBoardScope,
  scopeCoversSchool,
  type BoardScope,
} from '#domain';
import { SUBMIT_RECORD_BATCH_ERRORS } from './submit-record-batch-error-codes.js';

export const MAX_BATCH_RECORDS = 10_000;

/**
 * A batch of canonical records to store. Shape and types are checked at the edge; this command checks
 * what only the domain knows (legal class per category, time order, duplicates, tenant scope) and
 * refuses the whole batch with every issue named.
 */
export class SubmitRecordBatchCommand {
  private constructor(
    readonly actor: Actor,
    readonly scope: BoardScope,
    readonly records: readonly CanonicalRecord[],
  ) {}

  static create(actor: Actor, records: readonly CanonicalRecord[]): SubmitRecordBatchCommand {
    const scope = requireBoardScope(actor, 'write');
    const issues: ErrorIssue[] = [];
    if (records.length === 0) {
      issues.push({
        field: 'records',
        code: SUBMIT_RECORD_BATCH_ERRORS.BATCH_EMPTY,
        message: 'A batch holds at least one record',
      });
    }
    if (records.length > MAX_BATCH_RECORDS) {
      issues.push({
        field: 'records',
        code: SUBMIT_RECORD_BATCH_ERRORS.BATCH_TOO_LARGE,
        message: `A batch holds at most ${MAX_BATCH_RECORDS} records`,
      });
    }
    const seen = new Set<string>();
    records.forEach((record, i) => {
      const at = `records[${i}]`;
      if (seen.has(record.recordId)) {
        issues.push({
          field: `${at}.recordId`,
          code: SUBMIT_RECORD_BATCH_ERRORS.DUPLICATE_RECORD_ID,
          message: 'recordId occurs twice in the batch',
        });
      }
      seen.add(record.recordId);
      if (!isConsistentLegalClass(record.category, record.legalClass)) {
        issues.push({
          field: `${at}.legalClass`,
          code: SUBMIT_RECORD_BATCH_ERRORS.LEGAL_CLASS_MISMATCH,
          message: `legalClass does not fit category ${record.category}`,
        });
      }
      if (record.start !== null && record.end !== null && Date.parse(record.end) < Date.parse(record.start)) {
        issues.push({
          field: `${at}.end`,
          code: SUBMIT_RECORD_BATCH_ERRORS.END_BEFORE_START,
          message: 'end lies before start',
        });
      }
      if ((record.start === null || record.end === null) && record.missedMinutes !== null) {
        issues.push({
          field: `${at}.missedMinutes`,
          code: SUBMIT_RECORD_BATCH_ERRORS.MINUTES_WITHOUT_TIMES,
          message: 'missedMinutes must be null when start or end is null',
        });
      }
      if (
        record.lessonHourFrom !== null &&
        record.lessonHourTo !== null &&
        record.lessonHourTo < record.lessonHourFrom
      ) {
        issues.push({
          field: `${at}.lessonHourTo`,
          code: SUBMIT_RECORD_BATCH_ERRORS.LESSON_HOURS_REVERSED,
          message: 'lessonHourTo lies before lessonHourFrom',
        });
      }
      // A record without a school takes its pupil's registered school (checked by the use case, ADR 0017).
      if (record.school?.brin && !scopeCoversSchool(scope, record.school.brin)) {
        issues.push({
          field: `${at}.school.brin`,
          code: SUBMIT_RECORD_BATCH_ERRORS.SCHOOL_OUT_OF_SCOPE,
          message: 'The school is not one of the schools this token may write for',
        });
      }
      if (actor.role === 'integration_client' && record.sourceSystem !== actor.system) {
        issues.push({
          field: `${at}.sourceSystem`,
          code: SUBMIT_RECORD_BATCH_ERRORS.SYSTEM_OUT_OF_SCOPE,
          message: 'An integration client may only submit records of its own school system',
        });
      }
    });
    if (issues.length > 0) {
      throw new ValidationError(
        SUBMIT_RECORD_BATCH_ERRORS.RECORD_BATCH_INVALID,
        'The batch was refused; nothing was stored',
        issues,
      );
    }
    return new SubmitRecordBatchCommand(actor, scope, records);
  }
}
