import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { stableId } from './ids.js';

describe('stableId', () => {
  it('is deterministic and separates its parts unambiguously', () => {
    fc.assert(
      fc.property(fc.array(fc.string(), { maxLength: 4 }), (parts) => {
        assert.equal(stableId('x', ...parts), stableId('x', ...parts));
      }),
    );
    assert.notEqual(stableId('x', 'ab', 'c'), stableId('x', 'a', 'bc'));
    assert.match(stableId('rec', 'a'), /^rec_[0-9a-f]{32}$/);
  });

  it('gives the same ids as hashing the parts piece by piece (the original definition)', () => {
    const piecewise = (prefix: string, ...parts: string[]): string => {
      const h = createHash('sha256');
      for (const part of parts) {
        h.update(String(part.length));
        h.update(':');
        h.update(part);
      }
      return `${prefix}_${h.digest('hex').slice(0, 32)}`;
    };
    fc.assert(
      fc.property(
        fc.string(),
        fc.array(fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' })), {
          maxLength: 6,
        }),
        (prefix, parts) => {
          assert.equal(stableId(prefix, ...parts), piecewise(prefix, ...parts));
        },
      ),
      { numRuns: 500 },
    );
    assert.equal(
      stableId('rec', 'magister', 'absentie', '5000001'),
      piecewise('rec', 'magister', 'absentie', '5000001'),
    );
  });
});
