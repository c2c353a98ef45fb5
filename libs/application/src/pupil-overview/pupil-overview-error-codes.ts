/**
 * The error codes the pupil-overview module answers with, in one catalogue. The strings are public (ADR 0004,
 * shared/design/contracts.md): clients branch on them, so they never change; new codes are added here.
 */
export const PUPIL_OVERVIEW_ERRORS = {
  // Errors the module throws
  OVERVIEW_INVALID: 'OVERVIEW_INVALID',
  PUPIL_NOT_FOUND: 'PUPIL_NOT_FOUND',
  // Codes inside an answer: the issues of refused input, the reasons an outcome records
  BRIN_INVALID: 'BRIN_INVALID',
  LOCAL_ID_INVALID: 'LOCAL_ID_INVALID',
  DATE_INVALID: 'DATE_INVALID',
  PERIOD_INVALID: 'PERIOD_INVALID',
} as const;
