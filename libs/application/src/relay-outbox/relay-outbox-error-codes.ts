/**
 * The error codes the relay-outbox module answers with, in one catalogue. The strings are public (ADR 0004,
 * shared/design/contracts.md): clients branch on them, so they never change; new codes are added here.
 */
export const RELAY_OUTBOX_ERRORS = {
  // The reason a batch of outbox rows is released when the publisher gave none
  PUBLISH_FAILED: 'PUBLISH_FAILED',
} as const;
