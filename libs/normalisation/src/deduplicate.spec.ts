import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type { QuarantinedInput, SourceRecord } from '#domain';
import { deduplicate } from './deduplicate.js';
import { type Draft, Drafts } from './drafts.js';

/** Drafts whose source items are small objects: only the id and the item's content matter here. */
function draftsOf(items: readonly { id: string; content: string }[]): Drafts {
  const drafts = new Drafts();
  for (const { id, content } of items) {
    const source = { sourceSystem: 'csv', sourceId: id, content } as unknown as SourceRecord;
    drafts.add(source, 0, null, null, { recordId: `rec_${id}` } as Draft);
  }
  return drafts;
}

const itemArb = fc.record({ id: fc.constantFrom('1', '2', '3'), content: fc.constantFrom('a', 'b', 'c') });

describe('deduplicate: one record per recordId', () => {
  it('the same item twice counts once; different content with one id keeps the first by content', () => {
    const quarantined: QuarantinedInput[] = [];
    const drafts = draftsOf([
      { id: '1', content: 'b' },
      { id: '1', content: 'b' },
      { id: '1', content: 'a' },
      { id: '2', content: 'c' },
    ]);
    const kept = deduplicate(drafts, quarantined);
    expect(
      [...kept].map(([id, i]) => [id, (drafts.sources[i] as unknown as { content: string }).content]),
    ).toEqual([
      ['rec_1', 'a'],
      ['rec_2', 'c'],
    ]);
    expect(quarantined.map((q) => [q.sourceId, q.reason])).toEqual([['1', 'MALFORMED_PAYLOAD']]); // 'the loser once, however often it came'
  });

  it('property: the outcome does not depend on the order of the items', () => {
    fc.assert(
      fc.property(
        fc
          .array(itemArb, { maxLength: 12 })
          .chain((items) =>
            fc.tuple(
              fc.constant(items),
              fc.shuffledSubarray(items, { minLength: items.length, maxLength: items.length }),
            ),
          ),
        ([items, shuffled]) => {
          const outcome = (list: typeof items): [string[], string[]] => {
            const quarantined: QuarantinedInput[] = [];
            const drafts = draftsOf(list);
            const kept = deduplicate(drafts, quarantined);
            return [
              [...kept].map(([id, i]) => `${id}=${JSON.stringify(drafts.sources[i])}`).sort(),
              quarantined.map((q) => JSON.stringify(q.raw)).sort(),
            ];
          };
          expect(outcome(shuffled)).toEqual(outcome(items));
        },
      ),
    );
  });
});
