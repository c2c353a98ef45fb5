/**
 * The error codes the simulate-policy module answers with, in one catalogue. The strings are public (ADR 0004,
 * shared/design/contracts.md): clients branch on them, so they never change; new codes are added here.
 */
export const SIMULATE_POLICY_ERRORS = {
  // Errors the module throws
  POLICY_VERSION_NOT_FOUND: 'POLICY_VERSION_NOT_FOUND',
  DAYS_INVALID: 'DAYS_INVALID',
} as const;
