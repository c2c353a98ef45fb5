import assert from 'node:assert/strict';
import { describe, expect, it } from '@jest/globals';
import { EXAMPLE_BELL_SCHEDULE } from '#testing';
import { parseBellSchedule } from './bell-schedule.js';

/** The shape of the shared example school calendar (shared/fixtures/calendars), abridged. */
const CALENDAR = {
  school: { brin: '99XX', vestiging: '00', sector: 'vo' },
  schoolYear: '2025-2026',
  timezone: 'Europe/Amsterdam',
  schoolDays: ['mon', 'tue', 'wed', 'thu', 'fri'],
  holidays: [{ name: 'Herfstvakantie', start: '2025-10-18', end: '2025-10-26' }],
  bellSchedule: EXAMPLE_BELL_SCHEDULE,
};

describe('parseBellSchedule', () => {
  it('reads the calendar file shape of the shared example school', () => {
    const result = parseBellSchedule(CALENDAR);
    assert.ok(result.ok);
    assert.equal(result.value.length, 8);
    expect(result.value[0]).toEqual({ lessonHour: 1, start: '08:30', end: '09:20' });
    expect(result.value[7]).toEqual({ lessonHour: 8, start: '15:20', end: '16:10' });
  });

  it('reads a bare array and sorts it by lesson hour without touching the input', () => {
    const input = [
      { lessonHour: 2, start: '09:20', end: '10:10' },
      { lessonHour: 1, start: '08:30', end: '09:20' },
    ];
    const copy = structuredClone(input);
    const result = parseBellSchedule(input);
    assert.ok(result.ok);
    expect(result.value.map((s) => s.lessonHour)).toEqual([1, 2]);
    expect(input).toEqual(copy);
  });

  it('empty: an empty schedule is valid and has no slots', () => {
    const result = parseBellSchedule([]);
    assert.ok(result.ok);
    expect(result.value).toEqual([]);
  });

  it('names the bad field and its code, never the value', () => {
    const result = parseBellSchedule({
      bellSchedule: [
        { lessonHour: 1, start: '08:30', end: '08:20' },
        { lessonHour: 21, start: '8:30', end: '09:20' },
        { lessonHour: 3, end: '11:20' },
        'u4',
      ],
    });
    assert.ok(!result.ok);
    expect(result.issues.map((i) => [i.field, i.code])).toEqual([
      ['bellSchedule[0].end', 'END_NOT_AFTER_START'],
      ['bellSchedule[1].lessonHour', 'INVALID_LESSON_HOUR'],
      ['bellSchedule[1].start', 'INVALID_TIME'],
      ['bellSchedule[2].start', 'MISSING_FIELD'],
      ['bellSchedule[3]', 'WRONG_TYPE'],
    ]);
    for (const issue of result.issues) assert.ok(!issue.message.includes('8:30'));
  });

  it('refuses duplicate and overlapping lesson hours', () => {
    const duplicate = parseBellSchedule([
      { lessonHour: 1, start: '08:30', end: '09:20' },
      { lessonHour: 1, start: '09:20', end: '10:10' },
    ]);
    assert.ok(!duplicate.ok);
    assert.equal(duplicate.issues[0].code, 'DUPLICATE_LESSON_HOUR');
    const overlap = parseBellSchedule([
      { lessonHour: 1, start: '08:30', end: '09:30' },
      { lessonHour: 2, start: '09:20', end: '10:10' },
    ]);
    assert.ok(!overlap.ok);
    expect(overlap.issues.map((i) => [i.field, i.code])).toEqual([['[1].start', 'OVERLAPPING_SLOTS']]);
  });

  it('refuses a calendar without a bell schedule and values that are no list', () => {
    const missing = parseBellSchedule({ schoolYear: '2025-2026' });
    assert.ok(!missing.ok);
    assert.equal(missing.issues[0].code, 'MISSING_FIELD');
    const wrong = parseBellSchedule('08:30-09:20');
    assert.ok(!wrong.ok);
    assert.equal(wrong.issues[0].code, 'WRONG_TYPE');
  });
});
