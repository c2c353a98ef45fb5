/**
 * The error codes the signal-analysis module answers with, in one catalogue. The strings are public (ADR 0004,
 * shared/design/contracts.md): clients branch on them, so they never change; new codes are added here.
 */
export const SIGNAL_ANALYSIS_ERRORS = {
  // Errors the module throws
  ANALYSIS_QUERY_INVALID: 'ANALYSIS_QUERY_INVALID',
  // Codes inside an answer: the issues of refused input, the reasons an outcome records
  INVALID_DATE: 'INVALID_DATE',
  DATE_ORDER: 'DATE_ORDER',
  SPAN_TOO_LONG: 'SPAN_TOO_LONG',
  UNKNOWN_DIMENSION: 'UNKNOWN_DIMENSION',
  UNKNOWN_PERIOD: 'UNKNOWN_PERIOD',
} as const;
