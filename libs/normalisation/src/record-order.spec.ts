import assert from 'node:assert/strict';
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type { Draft } from './drafts.js';
import { sortedUniqueIds } from './record-order.js';

/** Only the recordId matters to the order. */
const drafts = (ids: readonly string[]): Draft[] => ids.map((recordId) => ({ recordId }) as Draft);

const hexId = fc
  .array(fc.constantFrom(...'0123456789abcdef'), { minLength: 8, maxLength: 32 })
  .map((digits) => `rec_${digits.join('')}`);

describe('sortedUniqueIds: the fast recordId order', () => {
  it('property: distinct rec_ hex ids come out in the engine string order', () => {
    fc.assert(
      fc.property(fc.uniqueArray(hexId, { maxLength: 200 }), (ids) => {
        const order = sortedUniqueIds(drafts(ids));
        assert.ok(order !== null);
        expect(Array.from(order, (i) => ids[i])).toEqual([...ids].sort());
      }),
    );
  });

  it('property: ids sharing their first eight digits are ordered by their whole text', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.array(fc.constantFrom(...'0123456789abcdef'), { maxLength: 6 }), {
          maxLength: 20,
          selector: (tail) => tail.join(''),
        }),
        (tails) => {
          const ids = tails.map((t) => `rec_0000abcd${t.join('')}`);
          const order = sortedUniqueIds(drafts(ids));
          assert.ok(order !== null);
          expect(Array.from(order, (i) => ids[i])).toEqual([...ids].sort());
        },
      ),
    );
  });

  it('declines (null) an id given twice, and ids that are not rec_ hex ids', () => {
    assert.equal(sortedUniqueIds(drafts(['rec_0123456789', 'rec_0123456789'])), null);
    assert.equal(sortedUniqueIds(drafts(['rec_00000000aa', 'rec_00000000aa'])), null);
    assert.equal(sortedUniqueIds(drafts(['rec_0123456X'])), null);
    assert.equal(sortedUniqueIds(drafts(['rec_ABCDEF12'])), null, 'upper case is not how stableId writes');
    assert.equal(sortedUniqueIds(drafts(['rec_0123'])), null, 'too short');
    assert.equal(sortedUniqueIds(drafts(['abc_01234567'])), null);
    expect(Array.from(sortedUniqueIds(drafts([]))!)).toEqual([]);
  });
});
