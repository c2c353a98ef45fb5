/**
 * The error codes the preview-report module answers with, in one catalogue. The strings are public (ADR 0004,
 * shared/design/contracts.md): clients branch on them, so they never change; new codes are added here.
 */
export const PREVIEW_REPORT_ERRORS = {
  // Errors the module throws
  REPORT_NOT_FOUND: 'REPORT_NOT_FOUND',
  // Codes inside an answer: the issues of refused input, the reasons an outcome records
  PUPIL_UNKNOWN: 'PUPIL_UNKNOWN',
  PUPIL_DATA_INVALID: 'PUPIL_DATA_INVALID',
} as const;
