import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import fc from 'fast-check';
import { TooLargeError } from './errors.js';
import { collectPayload } from './payload-text.js';

/** `text` cut at `cuts` (byte offsets of its UTF-8), each piece as bytes or, when it decodes whole, as text. */
function chunked(text: string, cuts: number[], asText: boolean): (string | Uint8Array)[] {
  const bytes = new TextEncoder().encode(text);
  const at = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const pieces = [0, ...at, bytes.length]
    .slice(1)
    .map((end, i, ends) => bytes.slice(i === 0 ? 0 : ends[i - 1], end));
  return asText ? [text] : pieces;
}

describe('collectPayload', () => {
  it('joins chunks cut anywhere, even inside a character, into the text', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ unit: 'grapheme' }),
        fc.array(fc.nat()),
        fc.boolean(),
        async (text, cuts, asText) => {
          assert.equal(await collectPayload(chunked(text, cuts, asText)), text);
        },
      ),
    );
  });

  it('refuses more than maxBytes with DOCUMENT_TOO_LARGE', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ minLength: 1 }), async (text) => {
        await assert.rejects(
          collectPayload([text], text.length - 1),
          (error: unknown) => error instanceof TooLargeError && error.code === 'DOCUMENT_TOO_LARGE',
        );
        assert.equal(await collectPayload([text], text.length), text);
      }),
    );
  });
});
