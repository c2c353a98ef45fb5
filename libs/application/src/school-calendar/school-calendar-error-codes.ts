/**
 * The error codes the school-calendar module answers with, in one catalogue. The strings are public (ADR 0004,
 * shared/design/contracts.md): clients branch on them, so they never change; new codes are added here.
 */
export const SCHOOL_CALENDAR_ERRORS = {
  // Errors the module throws
  CALENDAR_NOT_FOUND: 'CALENDAR_NOT_FOUND',
  CALENDAR_INVALID: 'CALENDAR_INVALID',
  // Codes inside an answer: the issues of refused input, the reasons an outcome records
  NOT_AN_OBJECT: 'NOT_AN_OBJECT',
  REQUIRED: 'REQUIRED',
  INVALID_DATE: 'INVALID_DATE',
  INVALID_TEXT: 'INVALID_TEXT',
  DATE_ORDER: 'DATE_ORDER',
  SPAN_TOO_LONG: 'SPAN_TOO_LONG',
  INVALID_WEEKDAY: 'INVALID_WEEKDAY',
  DUPLICATE: 'DUPLICATE',
  NOT_A_LIST: 'NOT_A_LIST',
  INVALID_LESSON_HOUR: 'INVALID_LESSON_HOUR',
  INVALID_TIME: 'INVALID_TIME',
  TIME_ORDER: 'TIME_ORDER',
  UNSUPPORTED_TIMEZONE: 'UNSUPPORTED_TIMEZONE',
  INVALID_SCHOOL_YEAR: 'INVALID_SCHOOL_YEAR',
  SCHOOL_MISMATCH: 'SCHOOL_MISMATCH',
} as const;
