/**
 * The error codes the get-record-batch module answers with, in one catalogue. The strings are public (ADR 0004,
 * shared/design/contracts.md): clients branch on them, so they never change; new codes are added here.
 */
export const GET_RECORD_BATCH_ERRORS = {
  // Errors the module throws
  BATCH_NOT_FOUND: 'BATCH_NOT_FOUND',
} as const;
