/**
 * The error codes the board-settings module answers with, in one catalogue. The strings are public (ADR 0004,
 * shared/design/contracts.md): clients branch on them, so they never change; new codes are added here.
 */
export const BOARD_SETTINGS_ERRORS = {
  // Errors the module throws
  BOARD_SETTINGS_INVALID: 'BOARD_SETTINGS_INVALID',
  // Codes inside an answer: the issues of refused input, the reasons an outcome records
  INVALID_TYPE: 'INVALID_TYPE',
  UNKNOWN_FIELD: 'UNKNOWN_FIELD',
} as const;
