/**
 * The error codes the normalise-payload module answers with, in one catalogue. The strings are public (ADR 0004,
 * shared/design/contracts.md): clients branch on them, so they never change; new codes are added here.
 */
export const NORMALISE_PAYLOAD_ERRORS = {
  // Errors the module throws
  MAPPING_SYSTEM_MISMATCH: 'MAPPING_SYSTEM_MISMATCH',
} as const;
