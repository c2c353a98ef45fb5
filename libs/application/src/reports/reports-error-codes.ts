/**
 * The error codes the reports module answers with, in one catalogue. The strings are public (ADR 0004,
 * shared/design/contracts.md): clients branch on them, so they never change; new codes are added here.
 */
export const REPORTS_ERRORS = {
  // Errors the module throws
  REASON_REQUIRED: 'REASON_REQUIRED',
  REPORT_NOT_FOUND: 'REPORT_NOT_FOUND',
  REPORT_NOT_DRAFT: 'REPORT_NOT_DRAFT',
  FILTER_INVALID: 'FILTER_INVALID',
  SETTINGS_INVALID: 'SETTINGS_INVALID',
  // Codes inside an answer: the issues of refused input, the reasons an outcome records
  UNKNOWN_STATUS: 'UNKNOWN_STATUS',
  INVALID_BOOLEAN: 'INVALID_BOOLEAN',
  UNKNOWN_FIELD: 'UNKNOWN_FIELD',
} as const;
