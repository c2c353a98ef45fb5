/**
 * The error codes the submit-record-batch module answers with, in one catalogue. The strings are public (ADR 0004,
 * shared/design/contracts.md): clients branch on them, so they never change; new codes are added here.
 */
export const SUBMIT_RECORD_BATCH_ERRORS = {
  // Errors the module throws
  RECORD_BATCH_INVALID: 'RECORD_BATCH_INVALID',
  // Codes inside an answer: the issues of refused input, the reasons an outcome records
  BATCH_EMPTY: 'BATCH_EMPTY',
  BATCH_TOO_LARGE: 'BATCH_TOO_LARGE',
  DUPLICATE_RECORD_ID: 'DUPLICATE_RECORD_ID',
  LEGAL_CLASS_MISMATCH: 'LEGAL_CLASS_MISMATCH',
  END_BEFORE_START: 'END_BEFORE_START',
  MINUTES_WITHOUT_TIMES: 'MINUTES_WITHOUT_TIMES',
  LESSON_HOURS_REVERSED: 'LESSON_HOURS_REVERSED',
  SCHOOL_OUT_OF_SCOPE: 'SCHOOL_OUT_OF_SCOPE',
  SYSTEM_OUT_OF_SCOPE: 'SYSTEM_OUT_OF_SCOPE',
} as const;
