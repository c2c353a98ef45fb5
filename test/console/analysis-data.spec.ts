import assert from 'node:assert/strict';
import { describe, expect, it } from '@jest/globals';
import {
  type AnalysisResult,
  byGroup,
  byPeriodAndCategory,
  byWeekdayAndLessonHour,
  clockHours,
  periodLabel,
  toCsv,
} from '../../apps/console/src/analysis/analysis-data.js';

const totals = (
  unauthorised: [number, number],
  authorised: [number, number] = [0, 0],
  pending: [number, number] = [0, 0],
) => ({
  unauthorised: { count: unauthorised[0], minutes: unauthorised[1] },
  authorised: { count: authorised[0], minutes: authorised[1] },
  pending: { count: pending[0], minutes: pending[1] },
  present: { count: 9, minutes: 450 },
  not_absence: { count: 4, minutes: 20 },
});
const result = (by: string, buckets: AnalysisResult['buckets']): AnalysisResult => ({
  school: '99XX',
  from: '2026-08-31',
  to: '2027-07-16',
  by,
  period: 'week',
  buckets,
});

describe('the analysis screen numbers', () => {
  it('counts absence as the signals do: unauthorised, authorised and pending; never present or not-an-absence', () => {
    const rows = byPeriodAndCategory(
      result('reason', [
        { period: '2026-W47', key: 'UNAUTHORISED', totals: totals([3, 150]) },
        { period: '2026-W46', key: 'SICK', totals: totals([0, 0], [2, 100]) },
        { period: '2026-W46', key: 'PRESENT', totals: totals([0, 0]) },
      ]),
    );
    expect(rows.map((r) => [r.period, r.category, r.hours.lessons, r.hours.minutes])).toEqual([
      ['2026-W46', 'SICK', 2, 100],
      ['2026-W47', 'UNAUTHORISED', 3, 150],
    ]);
  });

  it('sums a class over the period per legal class, unknown classes last', () => {
    const rows = byGroup(
      result('group', [
        { period: '2026-W46', key: 'onbekend', totals: totals([1, 50]) },
        { period: '2026-W46', key: 'h2b', totals: totals([1, 50], [1, 45]) },
        { period: '2026-W47', key: 'h2b', totals: totals([2, 100], [0, 0], [1, 50]) },
        { period: '2026-W47', key: 'h2a', totals: totals([1, 50]) },
      ]),
    );
    expect(
      rows.map((r) => [
        r.group,
        r.perClass.unauthorised.lessons,
        r.perClass.authorised.minutes,
        r.total.lessons,
        r.total.minutes,
      ]),
    ).toEqual([
      ['h2a', 1, 0, 1, 50],
      ['h2b', 3, 45, 5, 245],
      ['onbekend', 1, 0, 1, 50],
    ]);
  });

  it('fills every weekday of every lesson hour with absence for the heat map', () => {
    const heat = byWeekdayAndLessonHour(
      result('weekdayLessonHour', [
        { period: '2026-W46', key: 'mon-3', totals: totals([1, 50]) },
        { period: '2026-W47', key: 'mon-3', totals: totals([1, 50]) },
        { period: '2026-W47', key: 'fri-10', totals: totals([0, 0], [1, 45]) },
        { period: '2026-W47', key: 'tue-onbekend', totals: totals([1, 0]) },
        { period: '2026-W47', key: 'sat-1', totals: totals([1, 50]) },
      ]),
    );
    expect(heat.hours).toEqual(['3', '10', 'onbekend']);
    assert.equal(heat.cells.length, 15);
    expect(heat.cells.find((c) => c.weekday === 'mon' && c.lessonHour === '3')?.hours).toEqual({
      lessons: 2,
      minutes: 100,
    });
    expect(heat.cells.find((c) => c.weekday === 'wed' && c.lessonHour === '10')?.hours).toEqual({
      lessons: 0,
      minutes: 0,
    });
  });

  it('names periods in Dutch', () => {
    assert.equal(periodLabel('2026-W07'), 'week 7 (2026)');
    assert.equal(periodLabel('2026-11'), 'november 2026');
  });

  it('writes CSV as Dutch Excel reads it: BOM, semicolons, decimal comma, CRLF, quoted fields', () => {
    const csv = toCsv(
      ['Klas', 'Lesuren', 'Klokuren'],
      [
        ['h2a; "b"', 16, clockHours(800)],
        ['één', 3, 2.5],
      ],
    );
    assert.equal(
      csv,
      '\uFEFFKlas;Lesuren;Klokuren\r\n"h2a; ""b""";16;13,33\r\nééN'.replace('ééN', 'één;3;2,5\r\n'),
    );
  });
});
