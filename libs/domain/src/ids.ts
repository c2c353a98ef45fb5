import { hash } from 'node:crypto';

/**
 * A deterministic id from its parts: the same inputs always give the same id. SHA-256 over `<length>:<part>`
 * for each part (UTF-16 length, UTF-8 bytes), hex, cut to 32 digits. Hashed in one call over the joined text:
 * the same bytes as feeding the pieces one by one, at a third of the cost (ids are a public contract and must
 * never change; `ids.spec.ts` checks the two agree).
 */
export function stableId(prefix: string, ...parts: readonly string[]): string {
  let text = '';
  for (const part of parts) text += `${part.length}:${part}`;
  return `${prefix}_${hash('sha256', text, 'hex').slice(0, 32)}`;
}
