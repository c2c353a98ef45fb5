import assert from 'node:assert/strict';
import { describe, expect, it } from '@jest/globals';
import { type CanonicalRecord, type Lesson, type SourceRecord, stableId } from '#domain';
import { EXAMPLE_BELL_SCHEDULE, aSourceRecord } from '#testing';
import type { BellSlot } from './bell-schedule.js';
import { type NormaliseContext, normalise } from './normalise.js';
import { parseReasonMapping } from './reason-mapping.js';

const BELL: BellSlot[] = [...EXAMPLE_BELL_SCHEDULE];

const NONE: NormaliseContext = { mapping: null, lessons: [], bellSchedule: null };
const WITH_BELL: NormaliseContext = { mapping: null, lessons: [], bellSchedule: BELL };

function record(fields: Partial<SourceRecord>): SourceRecord {
  return aSourceRecord({
    sourceSystem: 'somtoday',
    sourceRecordType: 'absentiemelding',
    authorisedFlag: false,
    date: null,
    ...fields,
  });
}

function lesson(fields: Partial<Lesson> & Pick<Lesson, 'lessonId' | 'start' | 'end'>): Lesson {
  return {
    pupil: 'p1',
    date: fields.start.slice(0, 10),
    lessonHour: null,
    durationMinutes: 50,
    cancelled: false,
    sourceSystem: 'zermelo',
    sourceId: fields.lessonId,
    ...fields,
  };
}

const only = (records: readonly CanonicalRecord[]): CanonicalRecord => {
  assert.equal(records.length, 1);
  return records[0];
};

const times = (records: readonly CanonicalRecord[]): [string | null, string | null][] =>
  [...records].sort((a, b) => String(a.start).localeCompare(String(b.start))).map((r) => [r.start, r.end]);

describe('normalise', () => {
  it('empty input: no records and nothing quarantined, with or without a timetable', () => {
    expect(normalise([], NONE)).toEqual({ records: [], quarantined: [] });
    expect(normalise([], { mapping: null, lessons: [], bellSchedule: BELL })).toEqual({
      records: [],
      quarantined: [],
    });
  });

  it('writes every contract field, times in Amsterdam with their offset, and a stable recordId', () => {
    const input = record({
      sourceId: '4400000001',
      pupil: { localId: 'p1', leerlingnummer: '204518' },
      school: { brin: '99XX', vestiging: '00' },
      authorisedFlag: true,
      reasonCode: 'MB',
      start: '2026-02-02T10:00:00.000+01:00',
      end: '2026-02-02T11:40:00.000+01:00',
      lessonHourFrom: 3,
      lessonHourTo: 4,
    });
    expect(only(normalise([input], NONE).records)).toEqual({
      recordId: stableId('rec', 'somtoday', 'absentiemelding', '4400000001'),
      sourceSystem: 'somtoday',
      sourceRecordType: 'absentiemelding',
      sourceId: '4400000001',
      pupil: { localId: 'p1', leerlingnummer: '204518' },
      school: { brin: '99XX', vestiging: '00' },
      date: '2026-02-02',
      start: '2026-02-02T10:00:00+01:00',
      end: '2026-02-02T11:40:00+01:00',
      wholeDay: false,
      lessonHourFrom: 3,
      lessonHourTo: 4,
      category: 'OTHER',
      legalClass: 'authorised',
      registeredVia: 'REPORT',
      missedMinutes: 100,
      missedLessons: 2,
      reasonCode: 'MB',
      explainedBy: null,
      mapping: { source: 'fallback' },
    });
  });

  it('measures against the bell schedule: breaks between lessons are not missed time', () => {
    const input = record({
      start: '2026-02-03T09:20:00+01:00',
      end: '2026-02-03T11:20:00+01:00',
      lessonHourFrom: 2,
      lessonHourTo: 3,
    });
    const out = only(normalise([input], WITH_BELL).records);
    assert.equal(out.missedMinutes, 100, '120 minutes minus the 20-minute break');
    assert.equal(out.missedLessons, 2);
  });

  it('takes lesson times from the bell schedule by lesson hour when the record has none', () => {
    const input = record({ date: '2026-02-03', lessonHourFrom: 3, lessonHourTo: 4 });
    const out = only(normalise([input], WITH_BELL).records);
    expect([out.start, out.end, out.missedMinutes, out.missedLessons]).toEqual([
      '2026-02-03T10:30:00+01:00',
      '2026-02-03T12:10:00+01:00',
      100,
      2,
    ]);
    // Without a bell schedule the hours are kept and the times are not guessed.
    const bare = only(normalise([input], NONE).records);
    expect([bare.start, bare.end, bare.missedMinutes, bare.missedLessons, bare.lessonHourFrom]).toEqual([
      null,
      null,
      null,
      2,
      3,
    ]);
  });

  it('overlapping reports on the same lesson are clipped to the lesson', () => {
    const linked = lesson({
      lessonId: 'L1',
      start: '2026-02-03T10:00:00+01:00',
      end: '2026-02-03T10:50:00+01:00',
    });
    const early = record({
      sourceId: 'a',
      start: '2026-02-03T09:30:00+01:00',
      end: '2026-02-03T11:00:00+01:00',
      lesson: linked,
    });
    const late = record({
      sourceId: 'b',
      start: '2026-02-03T10:30:00+01:00',
      end: '2026-02-03T12:00:00+01:00',
      lessonRef: 'L1',
    });
    const { records } = normalise([early, late], { mapping: null, lessons: [linked], bellSchedule: null });
    const bySource = new Map(records.map((r) => [r.sourceId, r]));
    expect([bySource.get('a')!.start, bySource.get('a')!.end, bySource.get('a')!.missedMinutes]).toEqual([
      '2026-02-03T10:00:00+01:00',
      '2026-02-03T10:50:00+01:00',
      50,
    ]);
    expect([bySource.get('b')!.start, bySource.get('b')!.end, bySource.get('b')!.missedMinutes]).toEqual([
      '2026-02-03T10:30:00+01:00',
      '2026-02-03T10:50:00+01:00',
      20,
    ]);
  });

  describe('midnight in UTC (Magister)', () => {
    const magister = (fields: Partial<SourceRecord>): SourceRecord =>
      record({
        sourceSystem: 'magister',
        sourceRecordType: 'absentie',
        sourceId: '5001',
        reasonCode: 'SP',
        ...fields,
      });

    it('23:00Z is the next local day: the lesson times come from the embedded Afspraak', () => {
      const input = magister({
        start: '2026-01-12T23:00:00.0000000Z',
        end: '2026-01-12T23:00:00.0000000Z',
        lessonHourFrom: 2,
        lessonHourTo: 2,
        lessonRef: '7002',
        lesson: lesson({
          lessonId: '7002',
          start: '2026-01-13T08:20:00.0000000Z',
          end: '2026-01-13T09:10:00.0000000Z',
          lessonHour: 2,
          sourceSystem: 'magister',
        }),
      });
      const out = only(normalise([input], NONE).records);
      expect([out.date, out.start, out.end, out.missedMinutes, out.missedLessons, out.wholeDay]).toEqual([
        '2026-01-13',
        '2026-01-13T09:20:00+01:00',
        '2026-01-13T10:10:00+01:00',
        50,
        1,
        false,
      ]);
    });

    it('a date-only record without lesson and lesson hour is a whole day on the local date', () => {
      const input = magister({
        kind: 'SICK',
        start: '2026-01-15T23:00:00.0000000Z',
        end: '2026-01-15T23:00:00.0000000Z',
      });
      const out = only(normalise([input], NONE).records);
      expect([out.date, out.start, out.wholeDay, out.category]).toEqual(['2026-01-16', null, true, 'SICK']);
    });

    it('a UTC midnight on the record’s own date is that date, not 01:00 local', () => {
      const input = magister({
        date: '2026-01-13',
        start: '2026-01-13T00:00:00Z',
        end: '2026-01-13T00:00:00Z',
        lessonHourFrom: 1,
      });
      const out = only(normalise([input], WITH_BELL).records);
      expect([out.date, out.start, out.end]).toEqual([
        '2026-01-13',
        '2026-01-13T08:30:00+01:00',
        '2026-01-13T09:20:00+01:00',
      ]);
    });

    it('in summer local midnight is 22:00Z', () => {
      const input = magister({
        start: '2026-06-15T22:00:00.0000000Z',
        end: '2026-06-15T22:00:00.0000000Z',
        lessonHourFrom: 1,
      });
      const out = only(normalise([input], WITH_BELL).records);
      expect([out.date, out.start]).toEqual(['2026-06-16', '2026-06-16T08:30:00+02:00']);
    });
  });

  describe('DST change', () => {
    it('a naive span over the March change lasts one hour less than its wall times say', () => {
      const input = record({ start: '2026-03-29T01:30:00', end: '2026-03-29T03:30:00' });
      const out = only(normalise([input], NONE).records);
      expect([out.start, out.end, out.missedMinutes]).toEqual([
        '2026-03-29T01:30:00+01:00',
        '2026-03-29T03:30:00+02:00',
        60,
      ]);
    });

    it('a naive span over the October change lasts one hour more', () => {
      const input = record({ start: '2026-10-25T01:30:00', end: '2026-10-25T03:30:00' });
      const out = only(normalise([input], NONE).records);
      expect([out.start, out.end, out.missedMinutes]).toEqual([
        '2026-10-25T01:30:00+02:00',
        '2026-10-25T03:30:00+01:00',
        180,
      ]);
    });

    it('a wall time in the skipped hour is an impossible time', () => {
      const { records, quarantined } = normalise(
        [record({ start: '2026-03-29T02:30:00', end: '2026-03-29T03:30:00' })],
        NONE,
      );
      expect(records).toEqual([]);
      assert.equal(quarantined[0].reason, 'IMPOSSIBLE_TIME');
    });

    it('whole days over the change: Friday in winter time, Monday in summer time, the weekend skipped', () => {
      const input = record({
        wholeDay: true,
        start: '2026-03-27T00:00:00',
        end: '2026-03-30T23:59:59',
        endInclusive: true,
      });
      const { records } = normalise([input], WITH_BELL);
      assert.equal(records.length, 16);
      expect([...new Set(records.map((r) => r.date))].sort()).toEqual(['2026-03-27', '2026-03-30']);
      for (const r of records) {
        assert.ok(r.start!.endsWith(r.date === '2026-03-27' ? '+01:00' : '+02:00'), r.start!);
        assert.equal(r.missedMinutes, 50);
      }
    });
  });

  describe('inclusive ends', () => {
    const eduarte = (fields: Partial<SourceRecord>): SourceRecord =>
      record({
        sourceSystem: 'eduarte',
        sourceId: '40001',
        authorisedFlag: true,
        reasonCode: 'ZI',
        ...fields,
      });

    it('23:59:59 is the end of the day: two whole days, one record each without a timetable', () => {
      const input = eduarte({
        wholeDay: true,
        start: '2025-11-03T00:00:00',
        end: '2025-11-04T23:59:59',
        endInclusive: true,
      });
      const { records } = normalise([input], NONE);
      expect(
        records.map((r) => [r.date, r.start, r.end, r.wholeDay, r.missedMinutes, r.missedLessons]).sort(),
      ).toEqual([
        ['2025-11-03', null, null, true, null, null],
        ['2025-11-04', null, null, true, null, null],
      ]);
      const ids = new Set(records.map((r) => r.recordId));
      assert.ok(ids.has(stableId('rec', 'eduarte', 'absentiemelding', '40001', '2025-11-03')));
      assert.ok(ids.has(stableId('rec', 'eduarte', 'absentiemelding', '40001', '2025-11-04')));
    });

    it('with a bell schedule: one record per lesson hour on each day, each with its own stable id', () => {
      const input = eduarte({
        wholeDay: true,
        start: '2025-11-03T00:00:00',
        end: '2025-11-04T23:59:59',
        endInclusive: true,
      });
      const { records } = normalise([input], WITH_BELL);
      assert.equal(records.length, 16);
      assert.equal(new Set(records.map((r) => r.recordId)).size, 16);
      const first = records.find((r) => r.date === '2025-11-03' && r.lessonHourFrom === 1)!;
      assert.equal(
        first.recordId,
        stableId('rec', 'eduarte', 'absentiemelding', '40001', '2025-11-03', 'lesuur-1'),
      );
      expect([first.start, first.end, first.wholeDay, first.missedMinutes, first.missedLessons]).toEqual([
        '2025-11-03T08:30:00+01:00',
        '2025-11-03T09:20:00+01:00',
        true,
        50,
        1,
      ]);
    });

    it('an exclusive end at midnight does not reach the next day', () => {
      const input = eduarte({ wholeDay: true, start: '2025-11-03T00:00:00', end: '2025-11-04T00:00:00' });
      expect(normalise([input], NONE).records.map((r) => r.date)).toEqual(['2025-11-03']);
    });

    it('an inclusive end on a whole minute is that moment (a late arrival at 08:47)', () => {
      const input = eduarte({
        sourceId: '40002',
        kind: 'LATE',
        authorisedFlag: false,
        reasonCode: 'TL',
        start: '2025-11-05T08:30:00',
        end: '2025-11-05T08:47:00',
        endInclusive: true,
        lessonHourFrom: 1,
        lessonHourTo: 1,
      });
      const out = only(normalise([input], WITH_BELL).records);
      expect([out.category, out.start, out.end, out.missedMinutes, out.missedLessons]).toEqual([
        'LATE_UNAUTHORISED',
        '2025-11-05T08:30:00+01:00',
        '2025-11-05T08:47:00+01:00',
        17,
        0,
      ]);
    });
  });

  describe('leap day', () => {
    it('2028-02-29 is a school day like any other', () => {
      const { records } = normalise([record({ date: '2028-02-29', wholeDay: true })], WITH_BELL);
      assert.equal(records.length, 8);
      for (const r of records) assert.equal(r.date, '2028-02-29');
      assert.equal(times(records)[0][0], '2028-02-29T08:30:00+01:00');
    });

    it('a span over it has three days; 2027-02-29 does not exist', () => {
      const span = record({
        wholeDay: true,
        date: '2028-02-28',
        end: '2028-03-01T23:59:59',
        endInclusive: true,
      });
      expect(
        normalise([span], NONE)
          .records.map((r) => r.date)
          .sort(),
      ).toEqual(['2028-02-28', '2028-02-29', '2028-03-01']);
      const bad = normalise([record({ date: '2027-02-29', wholeDay: true })], NONE);
      expect([bad.records.length, bad.quarantined[0].reason]).toEqual([0, 'IMPOSSIBLE_TIME']);
    });
  });

  describe('trailing spaces in codes', () => {
    it('finds the school mapping and writes the code without them', () => {
      const mapping = parseReasonMapping({
        system: 'magister',
        version: '3',
        reasons: { TL: 'LATE_UNAUTHORISED' },
      });
      assert.ok(mapping.ok);
      const input = record({
        sourceSystem: 'magister',
        sourceRecordType: 'absentie',
        kind: 'LATE',
        reasonCode: 'TL  ',
        date: '2026-01-15',
        lessonHourFrom: 3,
        lessonHourTo: 3,
      });
      const out = only(
        normalise([input], { mapping: mapping.value, lessons: [], bellSchedule: BELL }).records,
      );
      expect([out.reasonCode, out.category, out.mapping]).toEqual([
        'TL',
        'LATE_UNAUTHORISED',
        { source: 'school', version: '3' },
      ]);
      // Magister says the date only: the lesson starts at its bell time, the arrival is unknown.
      expect([out.start, out.end, out.missedMinutes, out.missedLessons]).toEqual([
        '2026-01-15T10:30:00+01:00',
        null,
        null,
        0,
      ]);
    });
  });

  describe('a teacher check explained by a report', () => {
    const report = record({
      sourceId: '4400000001',
      authorisedFlag: true,
      reasonCode: 'MB',
      start: '2026-02-02T10:00:00.000+01:00',
      end: '2026-02-02T11:40:00.000+01:00',
      lessonHourFrom: 3,
      lessonHourTo: 4,
    });
    const check = (sourceId: string, kind: 'ABSENT' | 'PRESENT', start: string, end: string): SourceRecord =>
      record({
        sourceRecordType: 'waarneming',
        sourceId,
        via: 'TEACHER_CHECK',
        kind,
        authorisedFlag: null,
        start,
        end,
      });
    const checks = [
      check('6600000001', 'ABSENT', '2026-02-02T10:00:00.000+01:00', '2026-02-02T10:50:00.000+01:00'),
      check('6600000002', 'ABSENT', '2026-02-02T10:50:00.000+01:00', '2026-02-02T11:40:00.000+01:00'),
      check('6600000003', 'PRESENT', '2026-02-02T11:40:00.000+01:00', '2026-02-02T12:30:00.000+01:00'),
      check('6600000004', 'ABSENT', '2026-02-04T08:30:00.000+01:00', '2026-02-04T09:20:00.000+01:00'),
    ];

    it('links the checks its lessons overlap; the rest stay unexplained (call-back) or present', () => {
      const { records } = normalise([report, ...checks], NONE);
      const reportId = stableId('rec', 'somtoday', 'absentiemelding', '4400000001');
      const bySource = new Map(records.map((r) => [r.sourceId, r]));
      assert.equal(bySource.get('4400000001')!.recordId, reportId);
      expect(
        checks.map((c) => {
          const r = bySource.get(c.sourceId)!;
          return [r.category, r.explainedBy, r.missedMinutes];
        }),
      ).toEqual([
        ['UNEXPLAINED', reportId, 50],
        ['UNEXPLAINED', reportId, 50],
        ['PRESENT', null, 0],
        ['UNEXPLAINED', null, 50],
      ]);
      // Counted once: summing without the explained checks gives the report's 100 minutes.
      const counted = records.filter((r) => r.explainedBy === null && r.legalClass !== 'present');
      assert.equal(
        counted.filter((r) => r.date === '2026-02-02').reduce((sum, r) => sum + (r.missedMinutes ?? 0), 0),
        100,
      );
    });

    it('the source’s own link picks the report; of an expanded whole day, the lesson it overlaps most', () => {
      const wholeDays = record({
        sourceSystem: 'eduarte',
        sourceId: '40001',
        authorisedFlag: true,
        wholeDay: true,
        start: '2025-11-03T00:00:00',
        end: '2025-11-04T23:59:59',
        endInclusive: true,
      });
      const linkedCheck = record({
        sourceSystem: 'eduarte',
        sourceRecordType: 'waarneming',
        sourceId: '91001',
        via: 'TEACHER_CHECK',
        authorisedFlag: null,
        start: '2025-11-03T08:30:00',
        end: '2025-11-03T10:00:00',
        lessonHourFrom: 1,
        lessonHourTo: 2,
        explainedByRef: '40001',
      });
      const expected = stableId('rec', 'eduarte', 'absentiemelding', '40001', '2025-11-03', 'lesuur-1');
      for (const input of [
        [wholeDays, linkedCheck],
        [linkedCheck, wholeDays],
        [wholeDays, { ...linkedCheck, explainedByRef: null }],
      ]) {
        const out = normalise(input, WITH_BELL).records.find((r) => r.sourceId === '91001')!;
        assert.equal(out.explainedBy, expected);
      }
      // Without a timetable the whole-day record of that date explains it.
      const bare = normalise([wholeDays, linkedCheck], NONE).records.find((r) => r.sourceId === '91001')!;
      assert.equal(bare.explainedBy, stableId('rec', 'eduarte', 'absentiemelding', '40001', '2025-11-03'));
    });

    it('never links a check to another pupil’s report', () => {
      const other = { ...checks[0], pupil: { localId: 'p2' } };
      const out = normalise([report, other], NONE).records.find((r) => r.sourceId === other.sourceId)!;
      assert.equal(out.explainedBy, null);
    });
  });

  describe('whole day without timetable', () => {
    it('is one record without times or minutes, on its date', () => {
      const out = only(
        normalise([record({ date: '2026-02-03', wholeDay: true, kind: 'SICK' })], NONE).records,
      );
      expect([
        out.recordId,
        out.date,
        out.start,
        out.end,
        out.wholeDay,
        out.missedMinutes,
        out.missedLessons,
        out.category,
      ]).toEqual([
        stableId('rec', 'somtoday', 'absentiemelding', '1'),
        '2026-02-03',
        null,
        null,
        true,
        null,
        null,
        'SICK',
      ]);
    });

    it('another pupil’s timetable is not this pupil’s', () => {
      const theirs = lesson({
        lessonId: 'X',
        pupil: 'p2',
        start: '2026-02-03T08:30:00+01:00',
        end: '2026-02-03T09:20:00+01:00',
      });
      const out = only(
        normalise([record({ date: '2026-02-03', wholeDay: true })], {
          mapping: null,
          lessons: [theirs],
          bellSchedule: null,
        }).records,
      );
      assert.equal(out.start, null);
    });

    it('a timetable without a pupil is shared by every pupil without one of their own', () => {
      const shared = lesson({
        lessonId: 'S1',
        pupil: undefined,
        start: '2026-02-03T08:30:00+01:00',
        end: '2026-02-03T09:20:00+01:00',
      });
      const out = only(
        normalise([record({ date: '2026-02-03', wholeDay: true })], {
          mapping: null,
          lessons: [shared],
          bellSchedule: null,
        }).records,
      );
      expect([out.start, out.recordId]).toEqual([
        '2026-02-03T08:30:00+01:00',
        stableId('rec', 'somtoday', 'absentiemelding', '1', '2026-02-03', 'S1'),
      ]);
    });

    it('a day the pupil’s timetable shows free adds nothing; a span of free days still leaves one record', () => {
      const lessons = [
        lesson({ lessonId: 'M', start: '2026-02-02T08:30:00+01:00', end: '2026-02-02T09:20:00+01:00' }),
        lesson({ lessonId: 'W', start: '2026-02-04T08:30:00+01:00', end: '2026-02-04T09:20:00+01:00' }),
      ];
      const span = record({
        wholeDay: true,
        date: '2026-02-02',
        end: '2026-02-04T23:59:59',
        endInclusive: true,
      });
      const { records } = normalise([span], { mapping: null, lessons, bellSchedule: BELL });
      expect(records.map((r) => r.date).sort()).toEqual(['2026-02-02', '2026-02-04']);
      const free = only(
        normalise([record({ wholeDay: true, date: '2026-02-03' })], {
          mapping: null,
          lessons,
          bellSchedule: BELL,
        }).records,
      );
      expect([free.date, free.start, free.missedMinutes, free.missedLessons]).toEqual([
        '2026-02-03',
        null,
        0,
        0,
      ]);
    });
  });

  describe('cancelled lesson', () => {
    const lessons = [
      lesson({ lessonId: 'A', start: '2026-02-03T07:30:00Z', end: '2026-02-03T08:20:00Z', lessonHour: 1 }),
      lesson({
        lessonId: 'B',
        start: '2026-02-03T08:20:00Z',
        end: '2026-02-03T09:10:00Z',
        lessonHour: 2,
        cancelled: true,
      }),
      lesson({ lessonId: 'C', start: '2026-02-03T09:30:00Z', end: '2026-02-03T10:20:00Z', lessonHour: 3 }),
    ];
    const context: NormaliseContext = { mapping: null, lessons, bellSchedule: BELL };

    it('a whole day: the cancelled lesson is a timetable adjustment, not absence', () => {
      const { records } = normalise([record({ date: '2026-02-03', wholeDay: true })], context);
      expect(
        records
          .map((r) => [r.lessonHourFrom, r.category, r.legalClass, r.missedMinutes, r.mapping.source])
          .sort(),
      ).toEqual([
        [1, 'UNAUTHORISED', 'unauthorised', 50, 'fallback'],
        [2, 'TIMETABLE_ADJUSTMENT', 'not_absence', 50, 'fallback'],
        [3, 'UNAUTHORISED', 'unauthorised', 50, 'fallback'],
      ]);
    });

    it('a report on the cancelled lesson is a timetable adjustment; a presence check stays present', () => {
      const report = record({ sourceId: 'r', lessonRef: 'B' });
      const present = record({
        sourceId: 'c',
        sourceRecordType: 'waarneming',
        via: 'TEACHER_CHECK',
        kind: 'PRESENT',
        lessonRef: 'B',
      });
      const out = normalise([report, present], context).records;
      expect(out.map((r) => [r.sourceId, r.category, r.legalClass]).sort()).toEqual([
        ['c', 'PRESENT', 'present'],
        ['r', 'TIMETABLE_ADJUSTMENT', 'not_absence'],
      ]);
    });

    it('a report over lessons 1 to 3 misses only the lessons that were held', () => {
      const report = record({ start: '2026-02-03T08:30:00+01:00', end: '2026-02-03T11:20:00+01:00' });
      const out = only(normalise([report], context).records);
      expect([
        out.category,
        out.missedMinutes,
        out.missedLessons,
        out.lessonHourFrom,
        out.lessonHourTo,
      ]).toEqual(['UNAUTHORISED', 100, 2, 1, 3]);
    });
  });

  describe('late arrivals', () => {
    const late = (fields: Partial<SourceRecord>): SourceRecord =>
      record({ kind: 'LATE', date: '2026-01-15', lessonHourFrom: 3, lessonHourTo: 3, ...fields });

    it('misses from lesson start to arrival, at most the lesson, never negative', () => {
      const cases: [string, number, string][] = [
        ['2026-01-15T10:41:00', 11, '2026-01-15T10:41:00+01:00'],
        ['2026-01-15T11:40:00', 50, '2026-01-15T11:20:00+01:00'],
        ['2026-01-15T10:20:00', 0, '2026-01-15T10:30:00+01:00'],
      ];
      for (const [arrivedAt, minutes, end] of cases) {
        const out = only(normalise([late({ arrivedAt })], WITH_BELL).records);
        expect([out.start, out.end, out.missedMinutes, out.missedLessons]).toEqual([
          '2026-01-15T10:30:00+01:00',
          end,
          minutes,
          0,
        ]);
      }
    });

    it('a late arrival at the very start (SOMtoday overview: begin = end) misses nothing', () => {
      const out = only(
        normalise(
          [
            late({
              date: null,
              lessonHourFrom: null,
              lessonHourTo: null,
              start: '2025-09-04T10:00:00+02:00',
              end: '2025-09-04T10:00:00+02:00',
            }),
          ],
          NONE,
        ).records,
      );
      expect([out.date, out.missedMinutes]).toEqual(['2025-09-04', 0]);
    });
  });

  describe('impossible times', () => {
    const cases: [string, Partial<SourceRecord>][] = [
      ['end before start', { start: '2026-02-03T10:00:00', end: '2026-02-03T09:00:00' }],
      ['a single lesson longer than 12 hours', { start: '2026-02-03T06:00:00', end: '2026-02-03T18:01:00' }],
      ['lesson hour 21', { date: '2026-02-03', lessonHourFrom: 21, lessonHourTo: 21 }],
      ['lesson hour -1', { date: '2026-02-03', lessonHourFrom: -1 }],
      ['lesson hour 2.5', { date: '2026-02-03', lessonHourFrom: 2.5 }],
      ['lesson hours backwards', { date: '2026-02-03', lessonHourFrom: 4, lessonHourTo: 2 }],
      ['no such date', { date: '2026-02-30', wholeDay: true }],
      ['not a time', { start: 'gisteren', end: '2026-02-03T09:00:00' }],
      [
        'an embedded lesson that ends before it starts',
        { lesson: lesson({ lessonId: 'Z', start: '2026-02-03T10:00:00Z', end: '2026-02-03T09:00:00Z' }) },
      ],
      ['a span of years', { wholeDay: true, date: '2026-01-01', end: '2028-01-01T00:00:00' }],
    ];
    for (const [name, fields] of cases) {
      it(`${name} is quarantined as IMPOSSIBLE_TIME, naming the field and not the value`, () => {
        const input = record({ sourceId: 'bad', ...fields });
        const { records, quarantined } = normalise([input], WITH_BELL);
        expect(records).toEqual([]);
        assert.equal(quarantined.length, 1);
        expect([quarantined[0].reason, quarantined[0].sourceId, quarantined[0].raw]).toEqual([
          'IMPOSSIBLE_TIME',
          'bad',
          input,
        ]);
        assert.match(quarantined[0].detail, /^(start|end|date|lessonHourFrom|lessonHourTo|lesson\.\w+):/);
        assert.ok(!quarantined[0].detail.includes('2026'), 'no value in the detail');
      });
    }

    it('a timetable lesson with impossible times is quarantined and not used', () => {
      const broken = lesson({
        lessonId: 'Q',
        start: '2026-02-03T09:00:00+01:00',
        end: '2026-02-03T08:00:00+01:00',
      });
      const { records, quarantined } = normalise([record({ date: '2026-02-03', wholeDay: true })], {
        mapping: null,
        lessons: [broken],
        bellSchedule: null,
      });
      assert.equal(only(records).start, null);
      expect([quarantined[0].reason, quarantined[0].sourceId, quarantined[0].sourceSystem]).toEqual([
        'IMPOSSIBLE_TIME',
        'Q',
        'zermelo',
      ]);
    });
  });

  describe('categories and quarantine in the batch', () => {
    it('quarantines an unmapped code and a missing flag; drops Nvt and homework without a trace', () => {
      const mapping = parseReasonMapping({
        system: 'somtoday',
        version: '1',
        reasons: { SP: 'UNAUTHORISED' },
      });
      assert.ok(mapping.ok);
      const inputs = [
        record({ sourceId: 'a', reasonCode: 'SP', date: '2026-02-03', wholeDay: true }),
        record({ sourceId: 'b', reasonCode: 'XX', date: '2026-02-03', wholeDay: true }),
        record({
          sourceId: 'c',
          kind: 'NOT_SCHEDULED',
          via: 'TEACHER_CHECK',
          date: '2026-02-03',
          lessonHourFrom: 3,
        }),
        record({ sourceId: 'd', kind: 'NOT_ATTENDANCE', reasonCode: 'HV', date: '2026-02-03' }),
      ];
      const withMapping = normalise(inputs, { mapping: mapping.value, lessons: [], bellSchedule: null });
      expect(withMapping.records.map((r) => r.sourceId)).toEqual(['a']);
      expect(withMapping.quarantined.map((q) => [q.sourceId, q.reason])).toEqual([['b', 'UNMAPPED_REASON']]);
      const noFlag = normalise(
        [record({ sourceId: 'e', authorisedFlag: null, date: '2026-02-03', wholeDay: true })],
        NONE,
      );
      expect(noFlag.quarantined.map((q) => [q.sourceId, q.reason])).toEqual([['e', 'UNMAPPED_REASON']]);
    });
  });

  describe('aggregates', () => {
    const oso = (
      unit: 'DAY_PART' | 'HOUR' | 'MINUTE' | 'LESSON',
      authorised: number | null,
      unauthorised: number | null,
    ): SourceRecord =>
      record({
        sourceSystem: 'oso',
        sourceRecordType: 'aggregate',
        sourceId: 'dossier-1',
        via: 'AGGREGATE',
        authorisedFlag: null,
        aggregate: { unit, authorised, unauthorised, from: '2025-02-01', to: '2026-01-31' },
      });

    it('hours become minutes: one record per authorised/unauthorised total, no times, not a whole day', () => {
      const { records } = normalise([oso('HOUR', 3, 6)], NONE);
      expect(
        records
          .map((r) => [
            r.recordId,
            r.category,
            r.legalClass,
            r.registeredVia,
            r.date,
            r.start,
            r.wholeDay,
            r.missedMinutes,
            r.missedLessons,
          ])
          .sort(),
      ).toEqual(
        [
          [
            stableId('rec', 'oso', 'aggregate', 'dossier-1', 'authorised'),
            'OTHER',
            'authorised',
            'AGGREGATE',
            '2026-01-31',
            null,
            false,
            180,
            null,
          ],
          [
            stableId('rec', 'oso', 'aggregate', 'dossier-1', 'unauthorised'),
            'UNAUTHORISED',
            'unauthorised',
            'AGGREGATE',
            '2026-01-31',
            null,
            false,
            360,
            null,
          ],
        ].sort(),
      );
    });

    it('day parts (po) are counted in missedLessons with null minutes; lessons likewise; minutes as minutes', () => {
      const dayParts = normalise([oso('DAY_PART', 4, null)], NONE).records;
      expect(dayParts.map((r) => [r.category, r.missedMinutes, r.missedLessons])).toEqual([
        ['OTHER', null, 4],
      ]);
      const lessons = normalise([oso('LESSON', null, 7)], NONE).records;
      expect(lessons.map((r) => [r.category, r.missedMinutes, r.missedLessons])).toEqual([
        ['UNAUTHORISED', null, 7],
      ]);
      const minutes = normalise([oso('MINUTE', 0, 95)], NONE).records;
      expect(minutes.map((r) => r.missedMinutes).sort()).toEqual([0, 95]);
    });

    it('quarantines totals that are missing or negative', () => {
      assert.equal(normalise([oso('HOUR', null, null)], NONE).quarantined[0].reason, 'MISSING_FIELD');
      assert.equal(normalise([oso('HOUR', -1, 2)], NONE).quarantined[0].reason, 'WRONG_TYPE');
      const noDate = record({
        via: 'AGGREGATE',
        aggregate: { unit: 'HOUR', authorised: 1, unauthorised: 1, from: null, to: null },
      });
      assert.equal(normalise([noDate], NONE).quarantined[0].reason, 'MISSING_FIELD');
    });
  });

  describe('determinism', () => {
    it('never mutates its inputs', () => {
      const deepFreeze = <T>(value: T): T => {
        if (typeof value === 'object' && value !== null) {
          for (const child of Object.values(value)) deepFreeze(child);
          Object.freeze(value);
        }
        return value;
      };
      const inputs = deepFreeze([
        record({ date: '2026-02-03', wholeDay: true, reasonCode: 'SP  ' }),
        record({
          sourceId: '2',
          via: 'TEACHER_CHECK',
          authorisedFlag: null,
          start: '2026-02-03T08:30:00',
          end: '2026-02-03T09:20:00',
        }),
      ]);
      const context = deepFreeze({ mapping: null, lessons: [], bellSchedule: BELL });
      const copy = structuredClone(inputs);
      const out = normalise(inputs, context);
      assert.equal(out.records.length, 9);
      expect(inputs).toEqual(copy);
    });

    it('an item given twice counts once; two different items with one id keep one and quarantine the other', () => {
      const a = record({ date: '2026-02-03', wholeDay: true });
      const twice = normalise([a, structuredClone(a)], NONE);
      expect([twice.records.length, twice.quarantined.length]).toEqual([1, 0]);
      const b = { ...a, authorisedFlag: true };
      const one = normalise([a, b], NONE);
      const other = normalise([b, a], NONE);
      expect(one).toEqual(other);
      expect([one.records.length, one.quarantined.map((q) => q.reason)]).toEqual([1, ['MALFORMED_PAYLOAD']]);
      // A copy of the losing item does not come back in its place, in whatever order.
      for (const order of [
        [b, structuredClone(b), a],
        [b, a, structuredClone(b)],
        [a, b, structuredClone(b)],
      ]) {
        expect(normalise(order, NONE)).toEqual(one);
      }
    });
  });
});
