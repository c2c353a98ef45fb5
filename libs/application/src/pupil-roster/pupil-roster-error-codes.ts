/**
 * The error codes the pupil-roster module answers with, in one catalogue. The strings are public (ADR 0004,
 * shared/design/contracts.md): clients branch on them, so they never change; new codes are added here.
 */
export const PUPIL_ROSTER_ERRORS = {
  // Errors the module throws
  ROSTER_INVALID: 'ROSTER_INVALID',
  SCHOOL_OUT_OF_SCOPE: 'SCHOOL_OUT_OF_SCOPE',
  ROSTER_TOO_LARGE: 'ROSTER_TOO_LARGE',
  SCHOOL_NOT_FOUND: 'SCHOOL_NOT_FOUND',
  SEARCH_INVALID: 'SEARCH_INVALID',
  // Codes inside an answer: the issues of refused input, the reasons an outcome records
  BRIN_INVALID: 'BRIN_INVALID',
  ROSTER_FIELD_MISSING: 'ROSTER_FIELD_MISSING',
  ROSTER_FIELD_INVALID: 'ROSTER_FIELD_INVALID',
  SEARCH_QUERY_INVALID: 'SEARCH_QUERY_INVALID',
} as const;
