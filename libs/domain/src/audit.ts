/**
 * The append-only, hash-chained audit log (privacy.md §7). Entries hold references (ids, pseudonyms, policy
 * versions) and field NAMES, never personal values: no BSN, no names, no free text from a school.
 */
export const AUDIT_KINDS = [
  'DECISION',
  'DISCLOSURE',
  'DELETION_RECEIPT',
  'POLICY_DRAFTED',
  'POLICY_APPROVED',
  /** A draft handed to a second privacy officer (ADR 0022). */
  'POLICY_SUBMITTED',
  /** A draft refused by a second privacy officer; the reason stays with the version, not in the chain. */
  'POLICY_REJECTED',
  'LEGAL_HOLD_SET',
  'LEGAL_HOLD_LIFTED',
  /** A report's way through the chain: queued, sent, registered, a status from DUO or a municipality, rejected. */
  'REPORT_STATUS',
  /** A sending party (PKIoverheid certificate, OIN, schools) uploaded, replaced or removed; never key material. */
  'SENDING_PARTY',
] as const;
export type AuditKind = (typeof AUDIT_KINDS)[number];

/** A JSON value as it may appear in an audit entry. */
export type AuditValue =
  string | number | boolean | null | readonly AuditValue[] | { readonly [key: string]: AuditValue };

export interface NewAuditEntry {
  /** The school board the entry concerns. */
  readonly board: string;
  readonly kind: AuditKind;
  readonly entry: { readonly [key: string]: AuditValue };
}

export interface AuditEntry extends NewAuditEntry {
  readonly seq: number;
  /** ISO 8601 instant (UTC, milliseconds). */
  readonly at: string;
  readonly prevHash: string;
  readonly hash: string;
}

export const AUDIT_BREAK_REASONS = [
  /** the stored hash is not the hash of the stored content */
  'HASH_MISMATCH',
  /** the entry does not point at the hash of the entry before it (reordered or replaced) */
  'PREVIOUS_HASH_MISMATCH',
  /** a sequence number is missing (an entry was deleted) or out of order */
  'SEQUENCE_GAP',
  /** the chain ends before the recorded head: the last entries were deleted */
  'TRUNCATED',
  /** the recorded head does not match the last entry */
  'HEAD_MISMATCH',
  /** a board chain's checkpoint does not record the sealed head (the seal or the checkpoint was altered) */
  'CHECKPOINT_MISMATCH',
] as const;
export type AuditBreakReason = (typeof AUDIT_BREAK_REASONS)[number];

export type AuditVerification =
  | { readonly entries: number; readonly valid: true; readonly headHash: string }
  | {
      readonly entries: number;
      readonly valid: false;
      readonly brokenAt: { readonly seq: number; readonly reason: AuditBreakReason };
    };

/** One board's chain (ADR 0012): it starts from a checkpoint that records the sealed head. */
export type BoardChainVerification = AuditVerification & {
  readonly board: string;
  /** The sealed head the chain's checkpoint records. */
  readonly checkpoint: { readonly sealedSeq: number; readonly sealedHash: string } | null;
};

/**
 * The whole log as `ketenpoort audit verify` sees it: the sealed single chain of before, then every board's
 * chain. `entries` and `valid` sum up (contracts §1); `brokenAt` names the first break (`board` null: the
 * sealed chain).
 */
export type AuditLogVerification = (
  | { readonly entries: number; readonly valid: true }
  | {
      readonly entries: number;
      readonly valid: false;
      readonly brokenAt: {
        readonly board: string | null;
        readonly seq: number;
        readonly reason: AuditBreakReason;
      };
    }
) & {
  readonly sealed: AuditVerification;
  readonly boards: readonly BoardChainVerification[];
};

export const AUDIT_LOG = Symbol('AuditLog');
export interface AuditLog {
  /** Appends entries in order to their boards' chains in one transaction; concurrent appends never fork one. */
  append(entries: readonly NewAuditEntry[], at: Date): Promise<AuditEntry[]>;
  /** Walks the sealed chain and every board's chain in order (paged) and reports the first break of each. */
  verify(): Promise<AuditLogVerification>;
  /** Walks one board's chain only; says nothing about any other board. */
  verifyBoard(board: string): Promise<BoardChainVerification>;
}

/**
 * What the privacy officer's audit log browser asks for (issue 15 item 4): one board's entries, newest first,
 * narrowed by the filters given. `pupils` holds pseudonyms (the pupil filter, already resolved); an empty list
 * matches nothing. `from` inclusive, `to` exclusive.
 */
export interface AuditSearch {
  readonly board: string;
  readonly pupils?: readonly string[];
  readonly kind?: AuditKind;
  readonly recipient?: string;
  readonly purpose?: string;
  readonly reportKind?: string;
  /** The decision's effect (DECISION and DISCLOSURE entries). */
  readonly effect?: 'permit' | 'deny';
  readonly from?: Date;
  readonly to?: Date;
  readonly offset: number;
  readonly limit: number;
}

/** One entry as the browser finds it, with the board's own pupil behind its pseudonym when the board has one. */
export interface FoundAuditEntry {
  /** The log's global position. */
  readonly seq: number;
  /** The position in the board's chain (what `verifyBoard` names); null for an entry of the sealed chain. */
  readonly chainSeq: number | null;
  readonly at: string;
  readonly kind: AuditKind;
  readonly entry: { readonly [key: string]: AuditValue };
  /** The board's registered pupil whose pseudonym the entry holds; null when none (not, or no longer, registered). */
  readonly pupil: { readonly localId: string; readonly school: string } | null;
}

export const AUDIT_LOG_BROWSER = Symbol('AuditLogBrowser');
export interface AuditLogBrowser {
  /** At most `limit` entries of the board, newest first, after skipping `offset`. Never another board's. */
  search(query: AuditSearch): Promise<FoundAuditEntry[]>;
}
