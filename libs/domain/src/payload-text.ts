import { TooLargeError } from './errors.js';
import type { PayloadChunks } from './source-record.js';
import { DOMAIN_ERRORS } from './domain-error-codes.js';

/** A payload of a format read whole beyond INGEST_DOCUMENT_MAX_BYTES: refused (413), nothing stored. */
export function documentTooLarge(maxBytes: number): TooLargeError {
  return new TooLargeError(
    DOMAIN_ERRORS.DOCUMENT_TOO_LARGE,
    `This format is read whole and may be at most ${maxBytes} bytes (INGEST_DOCUMENT_MAX_BYTES); nothing was stored`,
  );
}

/**
 * The whole payload as one text: for the formats an adapter cannot read in pieces. More than `maxBytes`
 * (INGEST_DOCUMENT_MAX_BYTES, ADR 0013; counted in chunk lengths) fails with TooLargeError DOCUMENT_TOO_LARGE.
 */
export async function collectPayload(
  chunks: PayloadChunks,
  maxBytes = Number.POSITIVE_INFINITY,
): Promise<string> {
  const decoder = new TextDecoder('utf-8');
  const parts: string[] = [];
  let size = 0;
  for await (const chunk of chunks) {
    size += chunk.length;
    if (size > maxBytes) throw documentTooLarge(maxBytes);
    parts.push(typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true }));
  }
  parts.push(decoder.decode());
  return parts.join('');
}
