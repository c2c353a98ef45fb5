/**
 * The error codes the signals module answers with, in one catalogue. The strings are public (ADR 0004,
 * shared/design/contracts.md): clients branch on them, so they never change; new codes are added here.
 */
export const SIGNALS_ERRORS = {
  // Errors the module throws
  UNSUPPORTED_MESSAGE: 'UNSUPPORTED_MESSAGE',
  MESSAGE_INVALID: 'MESSAGE_INVALID',
  AS_OF_INVALID: 'AS_OF_INVALID',
  FILTER_INVALID: 'FILTER_INVALID',
  // Codes inside an answer: the issues of refused input, the reasons an outcome records
  INVALID_DATE: 'INVALID_DATE',
  UNKNOWN_STATUS: 'UNKNOWN_STATUS',
  UNKNOWN_RULE: 'UNKNOWN_RULE',
} as const;
