/**
 * The error codes the domain throws or returns, in one catalogue. The strings are public (ADR 0004,
 * shared/design/contracts.md): clients branch on them, so they never change; new codes are added here.
 */
export const DOMAIN_ERRORS = {
  // Errors the domain's own checks throw (roles and tenancy, retention periods, whole-document payloads)
  ROLE_NOT_ALLOWED: 'ROLE_NOT_ALLOWED',
  RETENTION_PERIOD_INVALID: 'RETENTION_PERIOD_INVALID',
  DOCUMENT_TOO_LARGE: 'DOCUMENT_TOO_LARGE',
  // Codes inside an answer: a privacy proof's failing invariant (the privacy port's result)
  INVARIANT_VIOLATED: 'INVARIANT_VIOLATED',
} as const;
