/**
 * The error codes the browse-audit-log module answers with, in one catalogue. The strings are public (ADR 0004,
 * shared/design/contracts.md): clients branch on them, so they never change; new codes are added here.
 */
export const BROWSE_AUDIT_LOG_ERRORS = {
  // Errors the module throws
  AUDIT_QUERY_INVALID: 'AUDIT_QUERY_INVALID',
  // Codes inside an answer: the issues of refused input, the reasons an outcome records
  VALUE_UNKNOWN: 'VALUE_UNKNOWN',
  PURPOSE_INVALID: 'PURPOSE_INVALID',
  LOCAL_ID_INVALID: 'LOCAL_ID_INVALID',
  BRIN_INVALID: 'BRIN_INVALID',
  SCHOOL_WITHOUT_PUPIL: 'SCHOOL_WITHOUT_PUPIL',
  PERIOD_INVERTED: 'PERIOD_INVERTED',
  PAGE_SIZE_INVALID: 'PAGE_SIZE_INVALID',
  PAGE_INVALID: 'PAGE_INVALID',
  DATE_INVALID: 'DATE_INVALID',
} as const;
