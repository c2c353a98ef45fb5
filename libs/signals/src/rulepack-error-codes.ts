/**
 * The issue codes of a rulepack the signals engine refuses, in one catalogue. The strings are public (ADR 0004, shared/design/contracts.md): clients and operators branch on them, so they never change; new codes are added here.
 */
export const RULEPACK_ERRORS = {
  NOT_A_COUNT: 'NOT_A_COUNT',
  NOT_A_NUMBER: 'NOT_A_NUMBER',
  NOT_A_BOOLEAN: 'NOT_A_BOOLEAN',
  NOT_A_STRING: 'NOT_A_STRING',
  INVALID_VALUE: 'INVALID_VALUE',
  NOT_A_STRING_LIST: 'NOT_A_STRING_LIST',
  NOT_A_MAP: 'NOT_A_MAP',
  UNKNOWN_SECTOR: 'UNKNOWN_SECTOR',
  INVALID_UNIT: 'INVALID_UNIT',
  NOT_A_LIST: 'NOT_A_LIST',
  NOT_AN_OBJECT: 'NOT_AN_OBJECT',
  STEP_NOT_ASCENDING: 'STEP_NOT_ASCENDING',
  REQUIRED: 'REQUIRED',
  INVALID_DATE: 'INVALID_DATE',
  UNKNOWN_FIELD: 'UNKNOWN_FIELD',
  UNKNOWN_RULE: 'UNKNOWN_RULE',
  UNPARSEABLE: 'UNPARSEABLE',
} as const;
