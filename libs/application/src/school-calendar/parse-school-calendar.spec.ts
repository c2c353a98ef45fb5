import assert from 'node:assert/strict';
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { aCanonicalRecord } from '#testing';
import { perDayOf } from '../signals/report-fields.js';
import { parseSchoolCalendar } from './parse-school-calendar.js';

const valid = {
  firstSchoolDay: '2025-09-01',
  lastSchoolDay: '2026-07-17',
  schoolDays: ['mon', 'tue', 'wed', 'thu', 'fri'],
  holidays: [{ name: 'Herfstvakantie', start: '2025-10-18', end: '2025-10-26' }],
  closedDays: [{ date: '2025-11-12', name: 'Studiedag' }],
  bellSchedule: [{ lessonHour: 1, start: '08:30', end: '09:20' }],
};

describe('parseSchoolCalendar', () => {
  it('accepts the contracts §5 shape and fills the time zone', () => {
    const parsed = parseSchoolCalendar(valid);
    assert.ok(parsed.ok);
    assert.equal(parsed.value.timezone, 'Europe/Amsterdam');
    assert.equal(parsed.value.holidays.length, 1);
  });

  it('names every problem with a field path and a code', () => {
    const parsed = parseSchoolCalendar({
      ...valid,
      lastSchoolDay: '2025-08-01',
      schoolDays: ['mon', 'mon', 'xyz'],
      holidays: [{ name: '', start: '2025-10-26', end: '2025-10-18' }],
      bellSchedule: [{ lessonHour: 13, start: '08:30', end: '09:20' }],
      timezone: 'UTC',
    });
    assert.ok(!parsed.ok);
    expect(parsed.issues.map((i) => `${i.field}:${i.code}`)).toEqual([
      'lastSchoolDay:DATE_ORDER',
      'schoolDays[1]:DUPLICATE',
      'schoolDays[2]:INVALID_WEEKDAY',
      'holidays[0].name:INVALID_TEXT',
      'holidays[0].end:DATE_ORDER',
      'bellSchedule[0].lessonHour:INVALID_LESSON_HOUR',
      'timezone:UNSUPPORTED_TIMEZONE',
    ]);
    assert.ok(!parseSchoolCalendar(null).ok);
    assert.ok(!parseSchoolCalendar([]).ok);
  });

  it('never throws, whatever the input', () => {
    fc.assert(
      fc.property(fc.anything(), (input) => {
        const parsed = parseSchoolCalendar(input);
        assert.equal(typeof parsed.ok, 'boolean');
      }),
    );
  });
});

describe('perDayOf (absence.perDay of a draft)', () => {
  it('names the day parts of a primary school (csv dagdeel records)', () => {
    const days = perDayOf([
      aCanonicalRecord({
        recordId: 'o',
        date: '2026-01-14',
        sourceRecordType: 'dagdeel-middag',
        lessonHourFrom: null,
        lessonHourTo: null,
      }),
      aCanonicalRecord({
        recordId: 'm',
        date: '2026-01-14',
        sourceRecordType: 'dagdeel-ochtend',
        lessonHourFrom: null,
        lessonHourTo: null,
      }),
    ]);
    expect(days).toEqual([
      { date: '2026-01-14', lessonHours: [], wholeDay: false, dayParts: ['ochtend', 'middag'] },
    ]);
  });

  it('groups evidence per day with the lesson hours 1..12 it covers', () => {
    const days = perDayOf([
      aCanonicalRecord({ recordId: 'x', date: '2026-01-14', lessonHourFrom: 3, lessonHourTo: 4 }),
      aCanonicalRecord({ recordId: 'y', date: '2026-01-13', lessonHourFrom: 11, lessonHourTo: 14 }),
      aCanonicalRecord({ recordId: 'z', date: '2026-01-14', lessonHourFrom: 1, lessonHourTo: null }),
      aCanonicalRecord({
        recordId: 'w',
        date: '2026-01-15',
        wholeDay: true,
        lessonHourFrom: null,
        lessonHourTo: null,
      }),
    ]);
    expect(days).toEqual([
      { date: '2026-01-13', lessonHours: [11, 12], wholeDay: false },
      { date: '2026-01-14', lessonHours: [1, 3, 4], wholeDay: false },
      { date: '2026-01-15', lessonHours: [], wholeDay: true },
    ]);
  });
});
