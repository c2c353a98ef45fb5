/**
 * The error codes the decide-disclosure module answers with, in one catalogue. The strings are public (ADR 0004,
 * shared/design/contracts.md): clients branch on them, so they never change; new codes are added here.
 */
export const DECIDE_DISCLOSURE_ERRORS = {
  // Errors the module throws
  DISCLOSURE_REQUEST_INVALID: 'DISCLOSURE_REQUEST_INVALID',
  PUPIL_NOT_FOUND: 'PUPIL_NOT_FOUND',
  // Codes inside an answer: the issues of refused input, the reasons an outcome records
  INVALID_TYPE: 'INVALID_TYPE',
} as const;
