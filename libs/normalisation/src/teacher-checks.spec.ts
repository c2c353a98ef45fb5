import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import fc from 'fast-check';
import type { SourceRecord } from '#domain';
import { type Draft, Drafts } from './drafts.js';
import { best, cover } from './teacher-checks.js';

const MIN = 60_000;

/** Drafts with only what linking reads: day, times, recordId, whole-day flag. */
function draftsOf(
  items: readonly { id: string; day: number; start: number | null; end: number | null; wholeDay?: boolean }[],
): Drafts {
  const drafts = new Drafts();
  for (const it of items) {
    drafts.add({} as SourceRecord, it.day, it.start, it.end, {
      recordId: it.id,
      wholeDay: it.wholeDay ?? false,
    } as Draft);
  }
  return drafts;
}

describe('teacher checks: how well a report covers a check, and the report that explains it', () => {
  it('cover: the overlap; a timeless whole-day report covers every check of its day; an instant inside counts', () => {
    const d = draftsOf([
      { id: 'check', day: 1, start: 10 * MIN, end: 60 * MIN },
      { id: 'overlap', day: 1, start: 40 * MIN, end: 100 * MIN },
      { id: 'apart', day: 1, start: 60 * MIN, end: 90 * MIN },
      { id: 'whole-day', day: 1, start: null, end: null, wholeDay: true },
      { id: 'other-day', day: 2, start: null, end: null, wholeDay: true },
      { id: 'timeless-part', day: 1, start: null, end: null },
      { id: 'instant', day: 1, start: 20 * MIN, end: 20 * MIN },
    ]);
    assert.equal(cover(d, 0, 1), 20 * MIN);
    assert.equal(cover(d, 0, 2), 0, 'touching ends do not overlap');
    assert.equal(cover(d, 0, 3), 50 * MIN);
    assert.equal(cover(d, 0, 4), 0);
    assert.equal(cover(d, 0, 5), 0, 'a timeless record that is not a whole day covers nothing');
    assert.equal(cover(d, 6, 1), 0);
    assert.equal(cover(d, 6, 0), 1, 'an instant check inside the report');
  });

  it('best: most overlap, ties by the smaller recordId; a report the source names needs no overlap', () => {
    const d = draftsOf([
      { id: 'check', day: 1, start: 10 * MIN, end: 60 * MIN },
      { id: 'rec_b', day: 1, start: 0, end: 30 * MIN },
      { id: 'rec_a', day: 1, start: 40 * MIN, end: 60 * MIN },
      { id: 'rec_c', day: 1, start: 0, end: 60 * MIN },
      { id: 'rec_far', day: 1, start: 70 * MIN, end: 80 * MIN },
    ]);
    assert.equal(best(d, 0, [1, 2], false), 'rec_a', 'equal overlap of 20 minutes: the smaller id');
    assert.equal(best(d, 0, [1, 2, 3], false), 'rec_c');
    assert.equal(best(d, 0, [4], false), null);
    assert.equal(best(d, 0, [4], true), 'rec_far');
  });

  it('property: best does not depend on the order of the candidates', () => {
    const report = fc.record({
      start: fc.integer({ min: 0, max: 100 }),
      length: fc.integer({ min: 0, max: 60 }),
    });
    fc.assert(
      fc.property(fc.array(report, { minLength: 1, maxLength: 8 }), fc.boolean(), (reports, named) => {
        const d = draftsOf([
          { id: 'check', day: 1, start: 30 * MIN, end: 80 * MIN },
          ...reports.map((r, i) => ({
            id: `rec_${i}`,
            day: 1,
            start: r.start * MIN,
            end: (r.start + r.length) * MIN,
          })),
        ]);
        const indices = reports.map((_, i) => i + 1);
        assert.equal(best(d, 0, [...indices].reverse(), named), best(d, 0, indices, named));
      }),
    );
  });
});
