import type { QuarantineReason } from '#domain';

/** The quarantine reasons the adapters give (a subset of the domain's QUARANTINE_REASONS). */
const QUARANTINE = {
  MALFORMED_PAYLOAD: 'MALFORMED_PAYLOAD',
  MISSING_FIELD: 'MISSING_FIELD',
  WRONG_TYPE: 'WRONG_TYPE',
  UNKNOWN_KIND: 'UNKNOWN_KIND',
  IMPOSSIBLE_TIME: 'IMPOSSIBLE_TIME',
} as const satisfies Record<string, QuarantineReason>;

/**
 * The codes the adapters give a payload or an item they refuse, in one catalogue shared by every adapter. The
 * strings are public (ADR 0004, shared/design/contracts.md): the quarantine and the console show them and
 * clients branch on them, so they never change; new codes are added here.
 */
export const ADAPTER_ERRORS = {
  // Quarantine reasons of a payload or an item (the domain's QUARANTINE_REASONS)
  ...QUARANTINE,
  // An item beyond INGEST_ITEM_MAX_BYTES: the whole payload is refused (TooLargeError, ADR 0013)
  ITEM_TOO_LARGE: 'ITEM_TOO_LARGE',
} as const;
