import assert from 'node:assert/strict';
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type { CanonicalRecord, SourceRecord } from '#domain';
import { aSourceRecord } from '#testing';
import { type NormaliseContext, normalise } from './normalise.js';
import { PageLinks } from './page-links.js';

const NONE: NormaliseContext = { mapping: null, lessons: [], bellSchedule: null };

/** A SOMtoday report or teacher check (fallback categories: an authorised report, an UNEXPLAINED check). */
function item(fields: Partial<SourceRecord> & Pick<SourceRecord, 'sourceId' | 'via'>): SourceRecord {
  return aSourceRecord({
    sourceSystem: 'somtoday',
    sourceRecordType: fields.via === 'TEACHER_CHECK' ? 'waarneming' : 'absentiemelding',
    authorisedFlag: true,
    date: null,
    ...fields,
  });
}

/** Normalises `pages` in order with one PageLinks: the last record given out for each recordId wins. */
function byPages(pages: readonly (readonly SourceRecord[])[]): {
  last: Map<string, CanonicalRecord>;
  perPage: CanonicalRecord[][];
} {
  const links = new PageLinks();
  const last = new Map<string, CanonicalRecord>();
  const perPage: CanonicalRecord[][] = [];
  for (const page of pages) {
    const { records } = normalise(page, NONE, links);
    perPage.push(records);
    for (const r of records) last.set(r.recordId, r);
  }
  return { last, perPage };
}

const sortById = (records: Iterable<CanonicalRecord>): CanonicalRecord[] =>
  [...records].sort((a, b) => (a.recordId < b.recordId ? -1 : a.recordId > b.recordId ? 1 : 0));

describe('PageLinks: teacher checks linked across pages stored as batches of their own', () => {
  const report = item({
    sourceId: 'r1',
    via: 'REPORT',
    start: '2026-02-02T10:00:00',
    end: '2026-02-02T11:40:00',
  });
  const check = item({
    sourceId: 'c1',
    via: 'TEACHER_CHECK',
    start: '2026-02-02T10:00:00',
    end: '2026-02-02T10:50:00',
  });

  it('a check on page 1 is given out again, linked, with its report on page 2; nothing else is repeated', () => {
    const { perPage } = byPages([[check], [report]]);
    assert.equal(perPage[0].length, 1);
    assert.equal(perPage[0][0].explainedBy, null);
    const reportId = normalise([report], NONE).records[0].recordId;
    const byVia = new Map(perPage[1].map((r) => [r.registeredVia, r.explainedBy]));
    assert.equal(perPage[1].length, 2, 'the report and the re-linked check');
    assert.equal(byVia.get('REPORT'), null);
    assert.equal(byVia.get('TEACHER_CHECK'), reportId);
    // The re-linked check is the same record with only its link changed; the first one was not mutated.
    const relinked = perPage[1].find((r) => r.registeredVia === 'TEACHER_CHECK')!;
    expect({ ...relinked, explainedBy: null }).toEqual(perPage[0][0]);
    assert.equal(perPage[0][0].explainedBy, null);
  });

  it('a check on page 2 is linked to its report on page 1 with its own page', () => {
    const { perPage } = byPages([[report], [check]]);
    assert.equal(perPage[1].length, 1);
    assert.equal(perPage[1][0].explainedBy, perPage[0][0].recordId);
  });

  it('a check whose source names its report (explainedByRef) follows it to another page', () => {
    const elsewhere = item({ sourceId: 'r2', via: 'REPORT', date: '2026-02-05', wholeDay: true });
    const named = { ...check, explainedByRef: 'r2' };
    const { last } = byPages([[named, report], [elsewhere]]);
    const whole = normalise([named, report, elsewhere], NONE).records;
    expect(sortById(last.values())).toEqual(whole);
    assert.equal(
      whole.find((r) => r.sourceId === 'c1')!.explainedBy,
      whole.find((r) => r.sourceId === 'r2')!.recordId,
    );
  });

  it('a check that is no open check any more on a later page is never given out again in its old form', () => {
    const present = { ...check, kind: 'PRESENT' as const };
    const { perPage, last } = byPages([[check], [present], [report]]);
    assert.equal(perPage[1][0].category, 'PRESENT');
    expect(perPage[2].map((r) => r.registeredVia)).toEqual(['REPORT']);
    assert.equal(last.get(perPage[0][0].recordId)!.category, 'PRESENT');
  });

  it('property: whatever the pages, the records last given out equal normalising the whole run at once', () => {
    const spec = fc.record({
      check: fc.boolean(),
      pupil: fc.constantFrom('p1', 'p2'),
      day: fc.constantFrom('2026-02-02', '2026-02-03'),
      from: fc.integer({ min: 8 * 60, max: 15 * 60 }),
      length: fc.integer({ min: 0, max: 180 }),
      wholeDay: fc.boolean(),
      ref: fc.option(fc.nat({ max: 30 }), { freq: 4 }),
      page: fc.nat({ max: 4 }),
    });
    fc.assert(
      fc.property(fc.array(spec, { maxLength: 30 }), (specs) => {
        const hhmm = (m: number): string =>
          `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}:00`;
        const items = specs.map((s, i) =>
          item({
            sourceId: String(i),
            via: s.check ? 'TEACHER_CHECK' : 'REPORT',
            pupil: { localId: s.pupil },
            ...(s.wholeDay && !s.check
              ? { date: s.day, wholeDay: true }
              : { start: `${s.day}T${hhmm(s.from)}`, end: `${s.day}T${hhmm(s.from + s.length)}` }),
            explainedByRef: s.check && s.ref !== null ? String(s.ref) : null,
          }),
        );
        const pages: SourceRecord[][] = [[], [], [], [], []];
        items.forEach((r, i) => pages[specs[i].page].push(r));
        const { last, perPage } = byPages(pages);
        expect(sortById(last.values())).toEqual(normalise(items, NONE).records);
        for (const records of perPage) {
          assert.equal(new Set(records.map((r) => r.recordId)).size, records.length, 'an id once a page');
          expect(records).toEqual(sortById(records));
        }
      }),
    );
  });
});
