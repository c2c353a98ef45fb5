/**
 * The error codes the shared module answers with, in one catalogue. The strings are public (ADR 0004,
 * shared/design/contracts.md): clients branch on them, so they never change; new codes are added here.
 */
export const SHARED_ERRORS = {
  // Errors the module throws
  SCHOOL_NOT_FOUND: 'SCHOOL_NOT_FOUND',
  // Codes inside an answer: the issues of refused input, the reasons an outcome records
  PUPIL_AMBIGUOUS: 'PUPIL_AMBIGUOUS',
  PUPIL_OUT_OF_SCOPE: 'PUPIL_OUT_OF_SCOPE',
} as const;
