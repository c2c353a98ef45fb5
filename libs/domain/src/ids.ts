import { createHash } from 'node:crypto';

/** A deterministic id from its parts: the same inputs always give the same id. */
export function stableId(prefix: string, ...parts: readonly string[]): string {
  const hash = createHash('sha256');
  for (const part of parts) {
    hash.update(String(part.length));
    hash.update(':');
    hash.update(part);
  }
  return `${prefix}_${hash.digest('hex').slice(0, 32)}`;
}
