import assert from 'node:assert/strict';
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
  type CaseReportLike,
  addDaysIso,
  caseStateOf,
  dueStateOf,
  groupReportsIntoCases,
} from './report-case.js';

const report = (
  id: string,
  beginDate: string,
  endDate: string,
  extra: Partial<CaseReportLike> = {},
): CaseReportLike => ({
  id,
  action: 'REPORT',
  supersedes: null,
  board: 'B1',
  school: '99XX',
  rule: 'LPW_16H_4W',
  pupil: { localId: '41003' },
  beginDate,
  endDate,
  ...extra,
});

const ids = (cases: ReturnType<typeof groupReportsIntoCases>) => cases.map((c) => c.reports.map((r) => r.id));

describe('cases per absence episode (ADR 0018 scenarios)', () => {
  it('a continuing absence is one case: first report, vervolgmeldingen a week apart, and the LRV report', () => {
    const cases = groupReportsIntoCases([
      report('vervolg-2', '2026-09-28', '2026-10-09'),
      report('first', '2026-09-07', '2026-09-18'),
      report('vervolg-1', '2026-09-21', '2026-10-02'),
      report('lrv', '2026-10-12', '2026-10-16', { rule: 'LPW_LRV' }),
    ]);
    expect(ids(cases)).toEqual([['first', 'vervolg-1', 'vervolg-2', 'lrv']]);
    assert.equal(cases[0]?.id, 'first');
    assert.equal(cases[0]?.beginDate, '2026-09-07');
    assert.equal(cases[0]?.lastDate, '2026-10-16');
  });

  it('the pupil is back with an end date: the next absence report opens a new case', () => {
    const reports = [report('a', '2026-09-07', '2026-09-18'), report('b', '2026-09-28', '2026-10-02')];
    expect(ids(groupReportsIntoCases(reports))).toEqual([['a', 'b']]);
    const ended = groupReportsIntoCases(reports, new Map([['a', '2026-09-21']]));
    expect(ids(ended)).toEqual([['a'], ['b']]);
    assert.equal(ended[0]?.endDate, '2026-09-21');
    assert.equal(ended[1]?.endDate, null);
  });

  it('a report that begins on or before the end date still belongs to the ended case', () => {
    const cases = groupReportsIntoCases(
      [report('a', '2026-09-07', '2026-09-18'), report('b', '2026-09-14', '2026-09-25')],
      new Map([['a', '2026-09-16']]),
    );
    expect(ids(cases)).toEqual([['a', 'b']]);
  });

  it('a gap of more than 4 weeks after the last period opens a new case; exactly 4 weeks does not', () => {
    const at = (begin: string) =>
      groupReportsIntoCases([report('a', '2026-09-07', '2026-09-18'), report('b', begin, begin)]);
    expect(ids(at('2026-10-16'))).toEqual([['a', 'b']]); // 28 days after the 18th
    expect(ids(at('2026-10-17'))).toEqual([['a'], ['b']]); // 29 days
  });

  it('corrections and withdrawals follow the report they change; daily checks are never cases', () => {
    const cases = groupReportsIntoCases([
      report('a', '2026-09-07', '2026-09-18'),
      report('fix', '2026-09-07', '2026-09-21', { action: 'CORRECTION', supersedes: 'a' }),
      report('undo', '2026-09-07', '2026-09-21', { action: 'WITHDRAWAL', supersedes: 'fix' }),
      report('check', '2026-09-08', '2026-09-08', { rule: 'UNCHECKED_LESSON' }),
      report('call', '2026-09-09', '2026-09-09', { rule: 'CALL_BACK' }),
    ]);
    expect(ids(cases)).toEqual([['a', 'fix', 'undo']]);
  });

  it('pupils and schools never share a case; a follow-up whose report is gone stands alone', () => {
    const cases = groupReportsIntoCases([
      report('a', '2026-09-07', '2026-09-18'),
      report('b', '2026-09-07', '2026-09-18', { pupil: { localId: '41004' } }),
      report('c', '2026-09-07', '2026-09-18', { school: '98YY' }),
      report('orphan', '2026-09-07', '2026-09-18', { action: 'CORRECTION', supersedes: 'gone' }),
    ]);
    assert.equal(cases.length, 4);
  });

  it('states: ENDED with an end date, LAPSED after the gap, OPEN before', () => {
    assert.equal(caseStateOf({ endDate: '2026-09-21', lastDate: '2026-09-18' }, '2026-09-22'), 'ENDED');
    assert.equal(caseStateOf({ endDate: null, lastDate: '2026-09-18' }, '2026-10-16'), 'OPEN');
    assert.equal(caseStateOf({ endDate: null, lastDate: '2026-09-18' }, '2026-10-17'), 'LAPSED');
  });

  it('due state counts calendar days to the deadline, across a month end and a leap day', () => {
    expect(dueStateOf('2026-12-04', '2026-12-05')).toEqual({ state: 'overdue', days: 1 });
    expect(dueStateOf('2026-12-05', '2026-12-05')).toEqual({ state: 'today' });
    expect(dueStateOf('2027-01-01', '2026-12-29')).toEqual({ state: 'daysLeft', days: 3 });
    expect(dueStateOf('2028-03-01', '2028-02-28')).toEqual({ state: 'daysLeft', days: 2 });
    assert.equal(addDaysIso('2026-10-24', 2), '2026-10-26'); // across the end of summer time
  });
});

/** Random reports of a few pupils at two schools, with follow-ups that supersede an earlier report. */
const reportsArb = fc
  .array(
    fc.record({
      pupil: fc.constantFrom('p1', 'p2', 'p3'),
      school: fc.constantFrom('99XX', '98YY'),
      offset: fc.integer({ min: 0, max: 200 }),
      length: fc.integer({ min: 0, max: 20 }),
      followUp: fc.option(fc.nat(50), { nil: null }),
    }),
    { maxLength: 40 },
  )
  .map((specs) => {
    const out: CaseReportLike[] = [];
    specs.forEach((s, i) => {
      const beginDate = addDaysIso('2026-08-24', s.offset);
      const base = report(`r${String(i).padStart(3, '0')}`, beginDate, addDaysIso(beginDate, s.length), {
        pupil: { localId: s.pupil },
        school: s.school,
      });
      const target = s.followUp === null || out.length === 0 ? null : out[s.followUp % out.length];
      out.push(
        target
          ? {
              ...base,
              action: 'CORRECTION',
              supersedes: target.id,
              pupil: target.pupil,
              school: target.school,
            }
          : base,
      );
    });
    return out;
  });

const endingsArb = fc.dictionary(
  fc.integer({ min: 0, max: 39 }).map((i) => `r${String(i).padStart(3, '0')}`),
  fc.integer({ min: 0, max: 230 }).map((d) => addDaysIso('2026-08-24', d)),
);

describe('cases per absence episode (properties)', () => {
  it('every report is in exactly one case', () => {
    fc.assert(
      fc.property(reportsArb, endingsArb, (reports, endings) => {
        const cases = groupReportsIntoCases(reports, new Map(Object.entries(endings)));
        const seen = cases.flatMap((c) => c.reports.map((r) => r.id)).sort();
        expect(seen).toEqual(reports.map((r) => r.id).sort());
      }),
    );
  });

  it('a case holds one pupil at one school, and its id is one of its first reports', () => {
    fc.assert(
      fc.property(reportsArb, (reports) => {
        for (const c of groupReportsIntoCases(reports)) {
          for (const r of c.reports) {
            assert.equal(r.pupil.localId, c.pupil.localId);
            assert.equal(r.school, c.school);
          }
          assert.equal(c.reports[0]?.id, c.id);
        }
      }),
    );
  });

  it("a pupil's cases do not overlap in time (first reports' periods)", () => {
    fc.assert(
      fc.property(reportsArb, endingsArb, (reports, endings) => {
        const cases = groupReportsIntoCases(reports, new Map(Object.entries(endings)));
        const spans = new Map<string, { begin: string; end: string }[]>();
        for (const c of cases) {
          const firsts = c.reports.filter((r) => r.action === 'REPORT');
          if (firsts.length === 0) continue;
          const key = `${c.school}|${c.pupil.localId}`;
          const begin = firsts.map((r) => r.beginDate).sort()[0];
          const end = firsts
            .map((r) => r.endDate)
            .sort()
            .at(-1) as string;
          spans.set(key, [...(spans.get(key) ?? []), { begin, end }]);
        }
        for (const list of spans.values()) {
          const sorted = [...list].sort((a, b) => (a.begin < b.begin ? -1 : 1));
          for (let i = 1; i < sorted.length; i++) {
            assert.ok((sorted[i - 1] as { end: string }).end < (sorted[i] as { begin: string }).begin);
          }
        }
      }),
    );
  });

  it('is order-independent: any order of the same reports gives the same cases', () => {
    fc.assert(
      fc.property(
        reportsArb.chain((reports) =>
          fc.tuple(fc.constant(reports), fc.shuffledSubarray(reports, { minLength: reports.length })),
        ),
        endingsArb,
        ([reports, shuffled], endings) => {
          const e = new Map(Object.entries(endings));
          expect(groupReportsIntoCases(shuffled, e)).toEqual(groupReportsIntoCases(reports, e));
        },
      ),
    );
  });
});
