/**
 * The error codes the privacy-engine module answers with, in one catalogue. The strings are public (ADR 0004,
 * shared/design/contracts.md): clients branch on them, so they never change; new codes are added here.
 */
export const PRIVACY_ENGINE_ERRORS = {
  // Errors the module throws
  STORED_POLICY_INVALID: 'STORED_POLICY_INVALID',
  DEFAULT_POLICY_INVALID: 'DEFAULT_POLICY_INVALID',
  DEFAULT_POLICY_FAILS_PROOF: 'DEFAULT_POLICY_FAILS_PROOF',
  POLICY_IN_FORCE_FAILS_PROOF: 'POLICY_IN_FORCE_FAILS_PROOF',
  POLICY_PROOF_FAILED: 'POLICY_PROOF_FAILED',
} as const;
