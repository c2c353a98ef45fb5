import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import fc from 'fast-check';
import { JsonInputScanner, hasUtf16ByteOrderMark, looksLikeJson } from './bounded-input.js';

/** The nesting depth of a parsed JSON value (objects and arrays; a scalar is 0). */
function depthOf(value: unknown): number {
  if (Array.isArray(value)) return 1 + Math.max(0, ...value.map(depthOf));
  if (value !== null && typeof value === 'object')
    return 1 + Math.max(0, ...Object.values(value).map(depthOf));
  return 0;
}

function hasNul(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (Array.isArray(value)) return value.some(hasNul);
  if (value !== null && typeof value === 'object')
    return Object.entries(value).some(([k, v]) => k.includes('\u0000') || hasNul(v));
  return false;
}

/** The scanner fed the bytes in pieces cut at these offsets. */
function scan(text: string, maxDepth: number, cuts: readonly number[]): string | null {
  const bytes = Buffer.from(text, 'utf8');
  const scanner = new JsonInputScanner(maxDepth);
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  let from = 0;
  for (const to of [...points, bytes.length]) {
    const fault = scanner.write(bytes.subarray(from, to));
    if (fault !== null) return fault;
    from = to;
  }
  return null;
}

describe('JsonInputScanner (ADR 0013)', () => {
  it('agrees with JSON.parse on depth and NUL for any JSON, however the bytes are cut', () => {
    fc.assert(
      fc.property(
        fc.jsonValue({ maxDepth: 8 }),
        fc.integer({ min: 1, max: 8 }),
        fc.array(fc.nat(), { maxLength: 6 }),
        (value, maxDepth, cuts) => {
          const text = JSON.stringify(value);
          const expected = hasNul(value) ? 'nul' : depthOf(value) > maxDepth ? 'too_deep' : null;
          const found = scan(text, maxDepth, cuts);
          // Both faults may be present: the scanner reports the one it meets first.
          if (expected === null) assert.equal(found, null, text);
          else assert.notEqual(found, null, text);
          if (!hasNul(value)) assert.equal(found, expected, text);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('finds \\u0000 only as an escape inside a string, not an escaped backslash before u0000', () => {
    assert.equal(scan('{"a":"x\\u0000y"}', 64, []), 'nul');
    assert.equal(scan('{"a":"x\\\\u0000y"}', 64, []), null);
    assert.equal(scan('{"a":"\\u0041"}', 64, []), null);
    assert.equal(scan('["\\u0000"]', 64, [3, 5, 8]), 'nul');
  });

  it('refuses a million open brackets in linear time', () => {
    const started = performance.now();
    assert.equal(new JsonInputScanner(64).write(Buffer.from('['.repeat(1_000_000))), 'too_deep');
    assert.equal(new JsonInputScanner(2_000_000).write(Buffer.from('['.repeat(1_000_000))), null);
    assert.ok(performance.now() - started < 1_000);
  });

  it('tells JSON from other text by its first character, and UTF-16 by its byte order mark', () => {
    assert.equal(looksLikeJson(Buffer.from('  \r\n{"a":1}')), true);
    assert.equal(looksLikeJson(Buffer.from('\ufeff[1]')), true);
    assert.equal(looksLikeJson(Buffer.from('leerling;datum')), false);
    assert.equal(looksLikeJson(Buffer.from('   ')), null);
    assert.equal(hasUtf16ByteOrderMark(Buffer.from([0xff, 0xfe, 0x3c, 0x00])), true);
    assert.equal(hasUtf16ByteOrderMark(Buffer.from('<?xml')), false);
  });
});
