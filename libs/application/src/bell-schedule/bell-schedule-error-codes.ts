/**
 * The error codes the bell-schedule module answers with, in one catalogue. The strings are public (ADR 0004,
 * shared/design/contracts.md): clients branch on them, so they never change; new codes are added here.
 */
export const BELL_SCHEDULE_ERRORS = {
  // Errors the module throws
  BELL_SCHEDULE_NOT_FOUND: 'BELL_SCHEDULE_NOT_FOUND',
  BELL_SCHEDULE_INVALID: 'BELL_SCHEDULE_INVALID',
} as const;
