import assert from 'node:assert/strict';
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type { CanonicalRecord, Lesson, SourceRecord } from '#domain';
import { EXAMPLE_BELL_SCHEDULE, aSourceRecord } from '#testing';
import type { BellSlot } from './bell-schedule.js';
import { type NormaliseContext, normalise } from './normalise.js';

/** The first six lessons of the example school's day. */
const BELL: BellSlot[] = EXAMPLE_BELL_SCHEDULE.slice(0, 6);
const BELL_MINUTES = new Map(BELL.map((s) => [s.lessonHour, 50]));

/** Days around both changes of 2026, a leap day and an ordinary week. */
const DAYS = [
  '2026-03-27',
  '2026-03-29',
  '2026-03-30',
  '2026-10-23',
  '2026-10-25',
  '2026-10-26',
  '2028-02-29',
  '2026-02-03',
];
const PUPILS = ['p1', 'p2', 'p3'];

/** `YYYY-MM-DDTHH:mm:ss` of a date plus minutes (may spill into the next or previous day). */
function naive(date: string, minutes: number): string {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d) + minutes * 60_000).toISOString().slice(0, 19);
}

const MINUTE = 60_000;

/** Times are written naive (Amsterdam wall time) or, shifted by a plausible offset, as instants. */
function time(date: string, minutes: number, asInstant: boolean): string {
  // The exact instant does not matter for these laws; both notations must be handled.
  return asInstant ? `${naive(date, minutes - 60)}Z` : naive(date, minutes);
}

const lessonArb = fc.record({
  pupil: fc.constantFrom(...PUPILS),
  day: fc.constantFrom(...DAYS),
  hour: fc.integer({ min: 1, max: 6 }),
  start: fc.integer({ min: 7 * 60, max: 15 * 60 }),
  minutes: fc.integer({ min: 1, max: 120 }),
  cancelled: fc.boolean(),
  instant: fc.boolean(),
});

const recordArb = fc.record({
  shape: fc.constantFrom('linked', 'own', 'hours', 'wholeDay', 'span', 'late', 'check', 'aggregate'),
  pupil: fc.constantFrom(...PUPILS),
  day: fc.constantFrom(...DAYS),
  lessonIndex: fc.nat(),
  from: fc.integer({ min: 6 * 60, max: 17 * 60 }),
  length: fc.integer({ min: -30, max: 240 }),
  hourFrom: fc.integer({ min: 1, max: 6 }),
  hours: fc.integer({ min: 0, max: 2 }),
  flag: fc.option(fc.boolean(), { freq: 4 }),
  kind: fc.constantFrom('ABSENT', 'LATE', 'SICK', 'PRESENT'),
  instant: fc.boolean(),
  spanDays: fc.integer({ min: 0, max: 4 }),
});

type LessonSpec = typeof lessonArb extends fc.Arbitrary<infer T> ? T : never;
type RecordSpec = typeof recordArb extends fc.Arbitrary<infer T> ? T : never;

function buildLessons(specs: readonly LessonSpec[]): Lesson[] {
  // One lesson per pupil, day and hour, so a record's lesson hour names one lesson.
  const seen = new Set<string>();
  const lessons: Lesson[] = [];
  specs.forEach((s, i) => {
    const key = `${s.pupil}/${s.day}/${s.hour}`;
    if (seen.has(key)) return;
    seen.add(key);
    lessons.push({
      lessonId: `L${i}`,
      pupil: s.pupil,
      date: s.day,
      start: time(s.day, s.start, s.instant),
      end: time(s.day, s.start + s.minutes, s.instant),
      lessonHour: s.hour,
      durationMinutes: s.minutes,
      cancelled: s.cancelled,
      sourceSystem: 'zermelo',
      sourceId: `L${i}`,
    });
  });
  return lessons;
}

function buildRecord(s: RecordSpec, i: number, lessons: readonly Lesson[]): SourceRecord {
  const linked = lessons.length > 0 ? lessons[s.lessonIndex % lessons.length] : null;
  const base: SourceRecord = aSourceRecord({
    sourceSystem: 'somtoday',
    sourceRecordType: s.shape === 'check' ? 'waarneming' : 'absentiemelding',
    sourceId: `S${i}`,
    pupil: { localId: s.pupil },
    via: s.shape === 'check' ? 'TEACHER_CHECK' : s.shape === 'aggregate' ? 'AGGREGATE' : 'REPORT',
    kind:
      s.shape === 'late'
        ? 'LATE'
        : s.shape === 'check'
          ? s.kind === 'PRESENT'
            ? 'PRESENT'
            : 'ABSENT'
          : s.kind === 'PRESENT'
            ? 'ABSENT'
            : s.kind,
    authorisedFlag: s.flag,
    date: null,
  });
  const start = time(s.day, s.from, s.instant);
  const end = time(s.day, s.from + s.length, s.instant);
  switch (s.shape) {
    case 'linked':
    case 'check':
      return linked === null
        ? { ...base, start, end }
        : {
            ...base,
            pupil: { localId: linked.pupil! },
            lessonRef: linked.lessonId,
            ...(s.length > 0 ? { start, end, date: null } : {}),
          };
    case 'own':
      return { ...base, start, end };
    case 'hours':
      return {
        ...base,
        date: s.day,
        lessonHourFrom: s.hourFrom,
        lessonHourTo: Math.min(6, s.hourFrom + s.hours),
      };
    case 'wholeDay':
      return { ...base, date: s.day, wholeDay: true };
    case 'span':
      return {
        ...base,
        wholeDay: true,
        start: naive(s.day, 0),
        end: naive(s.day, (s.spanDays + 1) * 1440 - 1 / 60),
        endInclusive: true,
      };
    case 'late':
      return linked === null || s.length < 0
        ? { ...base, date: s.day, lessonHourFrom: s.hourFrom, arrivedAt: time(s.day, s.from, s.instant) }
        : {
            ...base,
            pupil: { localId: linked.pupil! },
            lessonRef: linked.lessonId,
            arrivedAt: time(s.day, s.from, s.instant),
          };
    case 'aggregate':
      return {
        ...base,
        aggregate: { unit: 'HOUR', authorised: s.hourFrom, unauthorised: s.hours, from: null, to: s.day },
      };
  }
}

const batchArb = fc
  .record({
    lessons: fc.array(lessonArb, { maxLength: 25 }),
    records: fc.array(recordArb, { maxLength: 25 }),
    bell: fc.boolean(),
  })
  .map(({ lessons, records, bell }) => {
    const built = buildLessons(lessons);
    return {
      records: records.map((r, i) => buildRecord(r, i, built)),
      context: { mapping: null, lessons: built, bellSchedule: bell ? BELL : null } satisfies NormaliseContext,
    };
  });

const parseMs = (iso: string): number => Date.parse(iso);

describe('normalise: properties', () => {
  it('missed minutes are never negative and never exceed the scheduled lesson', () => {
    fc.assert(
      fc.property(batchArb, ({ records, context }) => {
        const { records: out } = normalise(records, context);
        const lessonMinutes = new Map(
          context.lessons.map((l) => [
            `${l.pupil}/${l.date}/${l.lessonHour}`,
            (parseMs(l.end) - parseMs(l.start)) / MINUTE,
          ]),
        );
        const pupilDays = new Set(context.lessons.map((l) => `${l.pupil}/${l.date}`));
        for (const r of out) {
          if (r.missedMinutes === null) continue;
          assert.ok(Number.isInteger(r.missedMinutes) && r.missedMinutes >= 0, `minutes ${r.missedMinutes}`);
          if (r.registeredVia === 'AGGREGATE') continue;
          if (r.start !== null && r.end !== null) {
            const span = (parseMs(r.end) - parseMs(r.start)) / MINUTE;
            assert.ok(span >= 0, 'end is not before start');
            assert.ok(r.missedMinutes <= Math.round(span), `${r.missedMinutes} > span ${span}`);
          }
          if (r.lessonHourFrom !== null && r.lessonHourFrom === r.lessonHourTo) {
            const own = pupilDays.has(`${r.pupil.localId}/${r.date}`)
              ? lessonMinutes.get(`${r.pupil.localId}/${r.date}/${r.lessonHourFrom}`)
              : undefined;
            const scheduled =
              own ?? (context.bellSchedule === null ? undefined : BELL_MINUTES.get(r.lessonHourFrom));
            if (scheduled !== undefined) {
              assert.ok(r.missedMinutes <= scheduled, `${r.missedMinutes} > lesson ${scheduled}`);
            }
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('normalising twice yields identical output, and never mutates the input', () => {
    fc.assert(
      fc.property(batchArb, ({ records, context }) => {
        const copy = structuredClone({ records, context });
        const first = normalise(records, context);
        expect(normalise(records, context)).toEqual(first);
        expect(normalise(copy.records, copy.context)).toEqual(first);
        expect({ records, context }).toEqual(copy);
      }),
      { numRuns: 150 },
    );
  });

  it('normalising the output again as its source keeps its times and minutes (a fixpoint)', () => {
    fc.assert(
      fc.property(batchArb, ({ records, context }) => {
        const { records: out } = normalise(records, context);
        const sources = new Map(records.map((r) => [r.sourceId, r]));
        const again: [CanonicalRecord, SourceRecord][] = [];
        for (const r of out) {
          // A record that stands for its whole source item, with both times known.
          if (r.wholeDay || r.start === null || r.end === null || r.registeredVia === 'AGGREGATE') continue;
          const source = sources.get(r.sourceId)!;
          if (source.wholeDay) continue;
          again.push([
            r,
            {
              ...source,
              date: r.date,
              start: r.start,
              end: r.end,
              endInclusive: false,
              arrivedAt: null,
              lesson: null,
            },
          ]);
        }
        const renormalised = new Map(
          normalise(
            again.map(([, s]) => s),
            context,
          ).records.map((r) => [r.recordId, r]),
        );
        for (const [first] of again) {
          const second = renormalised.get(first.recordId);
          assert.ok(second !== undefined, 'the same recordId again');
          expect([second.date, second.start, second.end, second.missedMinutes, second.category]).toEqual([
            first.date,
            first.start,
            first.end,
            first.missedMinutes,
            first.category,
          ]);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('shuffling the input order changes nothing', () => {
    fc.assert(
      fc.property(
        batchArb.chain((batch) =>
          fc.record({
            batch: fc.constant(batch),
            records: fc.shuffledSubarray(batch.records, { minLength: batch.records.length }),
            lessons: fc.shuffledSubarray([...batch.context.lessons], {
              minLength: batch.context.lessons.length,
            }),
          }),
        ),
        ({ batch, records, lessons }) => {
          const original = normalise(batch.records, batch.context);
          const shuffled = normalise(records, { ...batch.context, lessons });
          expect(shuffled).toEqual(original);
          const ids = original.records.map((r) => r.recordId);
          expect(ids).toEqual([...ids].sort()); // 'sorted by recordId'
          assert.equal(new Set(ids).size, ids.length, 'recordIds are unique');
        },
      ),
      { numRuns: 150 },
    );
  });

  it('DST change: every record on 2026-03-29 and 2026-10-25 carries the offset of its instant', () => {
    // The changes happen at 01:00 UTC: 02:00 → 03:00 local in March, 03:00 → 02:00 local in October.
    const march = Date.UTC(2026, 2, 29, 1);
    const october = Date.UTC(2026, 9, 25, 1);
    const expectedOffset = (ms: number, date: string): string =>
      date === '2026-03-29' ? (ms < march ? '+01:00' : '+02:00') : ms < october ? '+02:00' : '+01:00';
    const specArb = fc.record({
      day: fc.constantFrom('2026-03-29', '2026-10-25'),
      from: fc.integer({ min: 0, max: 23 * 60 + 59 }),
      length: fc.integer({ min: 0, max: 180 }),
      instant: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(specArb, { minLength: 1, maxLength: 20 }), (specs) => {
        const records: SourceRecord[] = specs.map((s, i) =>
          aSourceRecord({
            sourceSystem: 'somtoday',
            sourceRecordType: 'absentiemelding',
            sourceId: `D${i}`,
            authorisedFlag: false,
            date: null,
            // Instants: UTC minutes within the day; naive: wall minutes (some fall in the skipped hour).
            start: s.instant ? `${naive(s.day, s.from)}Z` : naive(s.day, s.from),
            end: s.instant ? `${naive(s.day, s.from + s.length)}Z` : naive(s.day, s.from + s.length),
          }),
        );
        const { records: out, quarantined } = normalise(records, {
          mapping: null,
          lessons: [],
          bellSchedule: BELL,
        });
        assert.equal(new Set(out.map((r) => r.sourceId)).size + quarantined.length, records.length);
        for (const q of quarantined)
          assert.equal(q.reason, 'IMPOSSIBLE_TIME', 'only wall times in the skipped hour');
        for (const r of out) {
          for (const iso of [r.start, r.end]) {
            if (iso === null) continue;
            const ms = parseMs(iso);
            const day = iso.slice(0, 10);
            if (day === '2026-03-29' || day === '2026-10-25')
              assert.equal(iso.slice(-6), expectedOffset(ms, day), iso);
          }
          // A timed record keeps its start: the same instant, or the same wall time. (A `Z` time at exactly
          // local midnight is Magister's way of writing a date: that record is a whole day.)
          const source = records[Number(r.sourceId.slice(1))];
          if (r.wholeDay) {
            assert.ok(source.start!.endsWith('Z'));
            continue;
          }
          assert.ok(r.start !== null);
          if (source.start!.endsWith('Z'))
            assert.equal(parseMs(r.start), parseMs(source.start!), 'the same instant');
          else assert.equal(r.start.slice(0, 19), source.start, 'the same wall time');
        }
      }),
      { numRuns: 300 },
    );
  });
});
