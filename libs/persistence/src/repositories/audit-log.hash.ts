import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import type { AuditValue } from '#domain';

/** The previous hash of the first entry. */
export const GENESIS_HASH = '0'.repeat(64);

export interface HashedContent {
  readonly seq: number;
  /** ISO 8601, UTC, milliseconds (`Date#toISOString`). */
  readonly at: string;
  readonly board: string;
  readonly kind: string;
  readonly entry: { readonly [key: string]: AuditValue };
}

/**
 * hash = lower-case hex SHA-256 of the UTF-8 bytes of
 *   prevHash + "\n" + JCS({ "at", "board", "entry", "kind", "seq" })
 * where JCS is the RFC 8785 canonical JSON (sorted keys, no whitespace, ECMAScript number form). Every column
 * but the hashes themselves is covered, so editing any of them, or moving an entry, breaks the chain.
 */
export function auditHash(prevHash: string, content: HashedContent): string {
  const canonical = canonicalize({
    seq: content.seq,
    at: content.at,
    board: content.board,
    kind: content.kind,
    entry: content.entry,
  });
  if (canonical === undefined) throw new Error('audit entry has no JSON form');
  return createHash('sha256').update(`${prevHash}\n${canonical}`, 'utf8').digest('hex');
}
