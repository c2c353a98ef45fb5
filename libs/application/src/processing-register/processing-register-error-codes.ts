/**
 * The error codes the processing-register module answers with, in one catalogue. The strings are public (ADR 0004,
 * shared/design/contracts.md): clients branch on them, so they never change; new codes are added here.
 */
export const PROCESSING_REGISTER_ERRORS = {
  // Errors the module throws
  REGISTER_KIND_INVALID: 'REGISTER_KIND_INVALID',
  STORED_POLICY_INVALID: 'STORED_POLICY_INVALID',
  REGISTER_CONTROLLER_INVALID: 'REGISTER_CONTROLLER_INVALID',
} as const;
