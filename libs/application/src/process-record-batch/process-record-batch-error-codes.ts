/**
 * The error codes the process-record-batch module answers with, in one catalogue. The strings are public (ADR 0004,
 * shared/design/contracts.md): clients branch on them, so they never change; new codes are added here.
 */
export const PROCESS_RECORD_BATCH_ERRORS = {
  // Errors the module throws
  UNSUPPORTED_MESSAGE: 'UNSUPPORTED_MESSAGE',
  MESSAGE_INVALID: 'MESSAGE_INVALID',
} as const;
