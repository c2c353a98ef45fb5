/**
 * The error codes the policy-versions module answers with, in one catalogue. The strings are public (ADR 0004,
 * shared/design/contracts.md): clients branch on them, so they never change; new codes are added here.
 */
export const POLICY_VERSIONS_ERRORS = {
  // Errors the module throws
  POLICY_INVALID: 'POLICY_INVALID',
  STORED_POLICY_INVALID: 'STORED_POLICY_INVALID',
  POLICY_NOT_FOUND: 'POLICY_NOT_FOUND',
  POLICY_VERSION_NOT_FOUND: 'POLICY_VERSION_NOT_FOUND',
  REJECTION_REASON_MISSING: 'REJECTION_REASON_MISSING',
  POLICY_TEXT_MISSING: 'POLICY_TEXT_MISSING',
  MOMENT_INVALID: 'MOMENT_INVALID',
} as const;
