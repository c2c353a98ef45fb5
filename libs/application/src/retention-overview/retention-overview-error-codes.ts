/**
 * The error codes the retention-overview module answers with, in one catalogue. The strings are public (ADR 0004,
 * shared/design/contracts.md): clients branch on them, so they never change; new codes are added here.
 */
export const RETENTION_OVERVIEW_ERRORS = {
  // Errors the module throws
  FORECAST_MONTHS_INVALID: 'FORECAST_MONTHS_INVALID',
} as const;
