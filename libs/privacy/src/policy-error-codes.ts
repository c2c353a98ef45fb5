/**
 * The codes the privacy policy engine throws or returns (a refused disclosure request, a failing proof), in one
 * catalogue. The strings are public (ADR 0004, shared/design/contracts.md): clients and operators branch on them, so they never change; new codes are added here.
 */
export const POLICY_ERRORS = {
  NOT_AN_OBJECT: 'NOT_AN_OBJECT',
  INVALID_RECIPIENT: 'INVALID_RECIPIENT',
  INVALID_TYPE: 'INVALID_TYPE',
  INVALID_PURPOSE: 'INVALID_PURPOSE',
  INVALID_REPORT_KIND: 'INVALID_REPORT_KIND',
  INVALID_AGE: 'INVALID_AGE',
  INVALID_CONSENT: 'INVALID_CONSENT',
  INVALID_CATEGORY: 'INVALID_CATEGORY',
  INVALID_PAYLOAD: 'INVALID_PAYLOAD',
  INVARIANT_CHECK_INCONSISTENT: 'INVARIANT_CHECK_INCONSISTENT',
  INVARIANT_VIOLATED: 'INVARIANT_VIOLATED',
  INVALID_INSTANT: 'INVALID_INSTANT',
} as const;
