/**
 * The error codes the legal-hold module answers with, in one catalogue. The strings are public (ADR 0004,
 * shared/design/contracts.md): clients branch on them, so they never change; new codes are added here.
 */
export const LEGAL_HOLD_ERRORS = {
  // Errors the module throws
  LEGAL_HOLD_REASON: 'LEGAL_HOLD_REASON',
  PUPIL_NOT_FOUND: 'PUPIL_NOT_FOUND',
} as const;
