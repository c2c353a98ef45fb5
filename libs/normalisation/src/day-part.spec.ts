import assert from 'node:assert/strict';
import { describe, expect, it } from '@jest/globals';
import type { Lesson, SourceRecord } from '#domain';
import { normalise } from './normalise.js';
import { aSourceRecord } from '#testing';

const dayPart = (overrides: Partial<SourceRecord> = {}): SourceRecord =>
  aSourceRecord({
    sourceSystem: 'csv',
    sourceRecordType: 'dagdeel-ochtend',
    sourceId: 'p1/2026-01-13/ochtend/report',
    school: { brin: '99XX' },
    authorisedFlag: false,
    ...overrides,
  });

const lesson = (hour: number, start: string, end: string): Lesson => ({
  lessonId: `l${hour}`,
  pupil: 'p1',
  date: '2026-01-13',
  start: `2026-01-13T${start}:00+01:00`,
  end: `2026-01-13T${end}:00+01:00`,
  lessonHour: hour,
  durationMinutes: 50,
  cancelled: false,
  sourceSystem: 'zermelo',
  sourceId: `l${hour}`,
});

describe('normalise: po day parts', () => {
  it('a morning without times stays one half-day record with unknown minutes, even with a timetable', () => {
    const { records, quarantined } = normalise([dayPart()], {
      mapping: null,
      lessons: [lesson(1, '08:30', '09:20'), lesson(5, '12:40', '13:30')],
      bellSchedule: null,
    });
    expect(quarantined).toEqual([]);
    assert.equal(records.length, 1);
    const [record] = records;
    assert.equal(record.wholeDay, false);
    assert.equal(record.start, null);
    assert.equal(record.end, null);
    assert.equal(record.missedMinutes, null, 'never guessed');
    assert.equal(record.category, 'UNAUTHORISED');
  });

  it('a day part with times is measured like any timed record', () => {
    const { records } = normalise([dayPart({ start: '2026-01-13T08:30:00', end: '2026-01-13T12:00:00' })], {
      mapping: null,
      lessons: [],
      bellSchedule: null,
    });
    assert.equal(records.length, 1);
    assert.equal(records[0].start, '2026-01-13T08:30:00+01:00');
    assert.equal(records[0].missedMinutes, 210);
  });
});
