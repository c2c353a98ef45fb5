/**
 * The error codes the pull-source module answers with, in one catalogue. The strings are public (ADR 0004,
 * shared/design/contracts.md): clients branch on them, so they never change; new codes are added here.
 */
export const PULL_SOURCE_ERRORS = {
  // Codes inside an answer: the issues of refused input, the reasons an outcome records
  PULL_EMPTY_PAGE: 'PULL_EMPTY_PAGE',
  PULL_FAILED: 'PULL_FAILED',
} as const;
