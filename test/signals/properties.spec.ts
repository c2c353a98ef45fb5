/** fast-check properties of the signals engine: determinism, order independence, incremental = full, monotonicity. */
import assert from 'node:assert/strict';
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { type CanonicalRecord, type Category, type SignalPupil, recordsTheRulesRead } from '#domain';
import { IncrementalEvaluator, evaluate } from '#signals';
import { CALENDAR, NATIONAL, UTRECHT, rec, schoolDays } from './support.js';

const DAYS = schoolDays('2025-09-01', '2025-12-19');
const CATS: readonly Category[] = [
  'UNAUTHORISED',
  'UNAUTHORISED',
  'UNAUTHORISED',
  'SICK',
  'LATE_UNAUTHORISED',
  'UNEXPLAINED',
  'LEAVE_HOLIDAY',
  'SCHOOL_SUSPENSION',
  'MEDICAL_VISIT',
  'PRESENT',
];
const PUPILS: readonly SignalPupil[] = [
  { localId: 'a', birthDate: '2011-02-03', sector: 'vo' },
  { localId: 'b', birthDate: '2016-09-20', sector: 'po' },
  { localId: 'c', birthDate: '2007-10-01', sector: 'mbo', startkwalificatie: false },
];

const event = fc.record({
  pupil: fc.integer({ min: 0, max: 2 }),
  day: fc.integer({ min: 0, max: DAYS.length - 1 }),
  cat: fc.integer({ min: 0, max: CATS.length - 1 }),
  hour: fc.option(fc.integer({ min: 1, max: 8 }), { nil: null }),
  span: fc.integer({ min: 0, max: 7 }),
  teacher: fc.boolean(),
});
type Event = typeof event extends fc.Arbitrary<infer T> ? T : never;

function toRecord(e: Event, i: number): CanonicalRecord {
  const pupilId = PUPILS[e.pupil].localId;
  const base = rec(
    DAYS[e.day],
    CATS[e.cat],
    {
      pupilId,
      via: e.teacher ? 'TEACHER_CHECK' : 'REPORT',
      minutes: e.hour === null ? 60 * (1 + e.span) : 50 * (1 + e.span),
      lessons: e.hour === null ? null : 1 + e.span,
      tag: String(i),
    },
    e.hour,
  );
  return e.hour === null ? base : { ...base, lessonHourTo: Math.min(8, e.hour + e.span) };
}

const records = fc.array(event, { maxLength: 120 }).map((es) => es.map(toRecord));
const LAST = DAYS[DAYS.length - 1];

describe('signals properties', () => {
  it('determinism: the same inputs give the same signals with the same ids', () => {
    fc.assert(
      fc.property(records, fc.boolean(), (rs, regional) => {
        const input = {
          pupils: PUPILS,
          calendar: CALENDAR,
          rulepack: regional ? UTRECHT : NATIONAL,
          asOf: LAST,
        };
        const a = evaluate({ ...input, records: rs });
        const b = evaluate({ ...input, records: structuredClone(rs) });
        expect(a).toEqual(b);
      }),
      { numRuns: 80 },
    );
  });

  it('shuffling the record order changes nothing', () => {
    fc.assert(
      fc.property(records, fc.array(fc.integer(), { minLength: 1 }), (rs, keys) => {
        const input = { pupils: PUPILS, calendar: CALENDAR, rulepack: UTRECHT, asOf: LAST };
        const shuffled = rs
          .map((r, i) => ({ r, k: keys[i % keys.length] ^ i }))
          .sort((x, y) => x.k - y.k)
          .map((x) => x.r);
        expect(evaluate({ ...input, records: shuffled })).toEqual(evaluate({ ...input, records: rs }));
      }),
      { numRuns: 80 },
    );
  });

  it('incremental over the days (with corrections and deletions) equals full evaluation', () => {
    fc.assert(
      fc.property(
        records,
        fc.array(
          fc.record({
            at: fc.nat(),
            cat: fc.integer({ min: 0, max: CATS.length - 1 }),
            remove: fc.boolean(),
          }),
          {
            maxLength: 10,
          },
        ),
        (rs, corrections) => {
          const evaluator = new IncrementalEvaluator(PUPILS, CALENDAR, NATIONAL);
          const current = new Map<string, CanonicalRecord>();
          const byDay = new Map<string, CanonicalRecord[]>();
          for (const r of rs) byDay.set(r.date, [...(byDay.get(r.date) ?? []), r]);
          const days = [...byDay.keys()].sort();
          days.forEach((day, i) => {
            const changed = [...(byDay.get(day) ?? [])];
            const removed: string[] = [];
            for (const c of corrections.filter((_, j) => j % Math.max(1, days.length) === i)) {
              const known = [...current.values()];
              if (known.length === 0) continue;
              const target = known[c.at % known.length];
              if (c.remove) {
                removed.push(target.recordId);
                current.delete(target.recordId);
              } else {
                const category = CATS[c.cat];
                const fixed = {
                  ...rec(target.date, category),
                  ...target,
                  category,
                  legalClass: rec(target.date, category).legalClass,
                };
                changed.push(fixed);
              }
            }
            for (const r of changed) current.set(r.recordId, r);
            for (const id of removed) if (!changed.some((r) => r.recordId === id)) current.delete(id);
            evaluator.apply(
              changed,
              day,
              removed.filter((id) => !changed.some((r) => r.recordId === id)),
            );
          });
          const asOf = days.length > 0 ? days[days.length - 1] : LAST;
          if (days.length === 0) evaluator.apply([], asOf);
          const full = evaluate({
            pupils: PUPILS,
            records: [...current.values()],
            calendar: CALENDAR,
            rulepack: NATIONAL,
            asOf,
          });
          expect(evaluator.signals()).toEqual(full);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('monotonicity: adding unauthorised absence never removes an LPW_16H_4W signal nor delays the first', () => {
    const extra = fc.array(
      fc.record({
        pupil: fc.integer({ min: 0, max: 2 }),
        day: fc.integer({ min: 0, max: DAYS.length - 1 }),
        minutes: fc.integer({ min: 30, max: 480 }),
      }),
      { minLength: 1, maxLength: 20 },
    );
    fc.assert(
      fc.property(records, extra, (rs, more) => {
        const input = { pupils: PUPILS, calendar: CALENDAR, rulepack: NATIONAL, asOf: LAST };
        const added = more.map((m, i) =>
          rec(DAYS[m.day], 'UNAUTHORISED', {
            pupilId: PUPILS[m.pupil].localId,
            minutes: m.minutes,
            lessons: null,
            tag: `extra${i}`,
          }),
        );
        const before = evaluate({ ...input, records: rs }).filter((s) => s.rule === 'LPW_16H_4W');
        const after = evaluate({ ...input, records: [...rs, ...added] }).filter(
          (s) => s.rule === 'LPW_16H_4W',
        );
        for (const p of PUPILS) {
          const b = before.filter((s) => s.pupil.localId === p.localId);
          const a = after.filter((s) => s.pupil.localId === p.localId);
          if (b.length === 0) continue;
          assert.ok(a.length > 0, `pupil ${p.localId} lost its LPW_16H_4W signal`);
          assert.ok(a[0].endDate <= b[0].endDate, `pupil ${p.localId}: first report came later`);
        }
      }),
      { numRuns: 80 },
    );
  });

  it('leaving out what recordsTheRulesRead leaves out changes no signal (the store reads only that, issue 18)', () => {
    // Presence marks are most of these records, on days with and without other records; every way of registering
    // (aggregates, call-backs, teacher checks with and without the report that explains them), both rulepacks,
    // and an as-of before the last day (records after it stay in).
    const VIA = ['REPORT', 'TEACHER_CHECK', 'CALL_BACK', 'AGGREGATE'] as const;
    const mark = fc.record({
      pupil: fc.integer({ min: 0, max: 2 }),
      // Few days and hours, so that marks meet: a presence mark on the hour of a report is what the daily check
      // reads, and what leaving out all presence marks would get wrong.
      day: fc.integer({ min: 0, max: 14 }),
      present: fc.boolean(),
      cat: fc.integer({ min: 0, max: CATS.length - 1 }),
      hour: fc.option(fc.integer({ min: 1, max: 4 }), { nil: null }),
      via: fc.constantFrom(...VIA),
      explained: fc.boolean(),
    });
    const marks = fc.array(mark, { minLength: 20, maxLength: 150 }).map((ms) =>
      ms.map((m, i): CanonicalRecord => {
        const pupilId = PUPILS[m.pupil].localId;
        const category = m.present ? 'PRESENT' : CATS[m.cat];
        const explainedBy = m.via === 'TEACHER_CHECK' && m.explained ? `r-explains-${m.day}` : undefined;
        return rec(DAYS[m.day], category, { pupilId, via: m.via, tag: String(i), explainedBy }, m.hour);
      }),
    );
    fc.assert(
      fc.property(marks, fc.boolean(), fc.integer({ min: 0, max: 20 }), (rs, regional, asOf) => {
        const input = {
          pupils: PUPILS,
          calendar: CALENDAR,
          rulepack: regional ? UTRECHT : NATIONAL,
          asOf: DAYS[asOf],
        };
        const kept = recordsTheRulesRead(rs);
        expect(evaluate({ ...input, records: kept })).toEqual(evaluate({ ...input, records: rs }));
      }),
      { numRuns: 300 },
    );
  });

  it('recordsTheRulesRead leaves out aggregates and presence marks on days without another record', () => {
    const present = rec('2025-09-02', 'PRESENT', { pupilId: 'a', via: 'TEACHER_CHECK', tag: '1' }, 1);
    const presentOnAbsentDay = rec(
      '2025-09-03',
      'PRESENT',
      { pupilId: 'a', via: 'TEACHER_CHECK', tag: '2' },
      1,
    );
    const absent = rec('2025-09-03', 'UNAUTHORISED', { pupilId: 'a', tag: '3' }, 2);
    const otherPupil = rec('2025-09-02', 'SICK', { pupilId: 'b', tag: '4' });
    const aggregate = rec('2025-09-02', 'UNAUTHORISED', { pupilId: 'a', via: 'AGGREGATE', tag: '5' });
    const presentBesideAggregate = rec(
      '2025-09-04',
      'PRESENT',
      { pupilId: 'a', via: 'TEACHER_CHECK', tag: '6' },
      1,
    );
    const aggregateThatDay = rec('2025-09-04', 'SICK', { pupilId: 'a', via: 'AGGREGATE', tag: '7' });
    expect(
      recordsTheRulesRead([
        present,
        presentOnAbsentDay,
        absent,
        otherPupil,
        aggregate,
        presentBesideAggregate,
        aggregateThatDay,
      ]),
    ).toEqual([presentOnAbsentDay, absent, otherPupil]);
  });
});
