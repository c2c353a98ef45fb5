/**
 * The error codes the access-report module answers with, in one catalogue. The strings are public (ADR 0004,
 * shared/design/contracts.md): clients branch on them, so they never change; new codes are added here.
 */
export const ACCESS_REPORT_ERRORS = {
  // Errors the module throws
  PUPIL_NOT_FOUND: 'PUPIL_NOT_FOUND',
} as const;
