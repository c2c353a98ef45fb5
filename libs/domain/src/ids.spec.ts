import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
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
});
