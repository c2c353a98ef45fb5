/**
 * The error codes the put-reason-mapping module answers with, in one catalogue. The strings are public (ADR 0004,
 * shared/design/contracts.md): clients branch on them, so they never change; new codes are added here.
 */
export const PUT_REASON_MAPPING_ERRORS = {
  // Errors the module throws
  MAPPING_INVALID: 'MAPPING_INVALID',
  MAPPING_SYSTEM_MISMATCH: 'MAPPING_SYSTEM_MISMATCH',
} as const;
