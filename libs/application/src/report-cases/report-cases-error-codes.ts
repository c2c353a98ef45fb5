/**
 * The error codes the report-cases module answers with, in one catalogue. The strings are public (ADR 0004,
 * shared/design/contracts.md): clients branch on them, so they never change; new codes are added here.
 */
export const REPORT_CASES_ERRORS = {
  // Errors the module throws
  SCHOOL_NOT_FOUND: 'SCHOOL_NOT_FOUND',
  FILTER_INVALID: 'FILTER_INVALID',
  CASE_NOTHING_PENDING: 'CASE_NOTHING_PENDING',
  END_DATE_INVALID: 'END_DATE_INVALID',
  CASE_NOT_FOUND: 'CASE_NOT_FOUND',
  // Codes inside an answer: the issues of refused input, the reasons an outcome records
  OUT_OF_RANGE: 'OUT_OF_RANGE',
  REQUIRED: 'REQUIRED',
  REPORT_NOT_OUT: 'REPORT_NOT_OUT',
  ALREADY_CORRECTED: 'ALREADY_CORRECTED',
  INVALID_DATE: 'INVALID_DATE',
  IN_FUTURE: 'IN_FUTURE',
  BEFORE_BEGIN: 'BEFORE_BEGIN',
} as const;
