import assert from 'node:assert/strict';
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { amsterdamMonth, expiryOf, retentionForecast } from './forecast.js';

const PERIODS = ['P5Y', 'P1Y', 'P6M', 'P3M', 'P1M', 'P30D', 'P1Y6M'];
const dayArb = fc
  .date({ min: new Date('2019-01-01T00:00:00Z'), max: new Date('2027-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));
const instantArb = fc
  .date({ min: new Date('2019-01-01T00:00:00Z'), max: new Date('2027-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString());
const inputArb = fc.record({
  category: fc.constantFrom('absence', 'enrolment', 'disclosure_request', 'quarantine'),
  from: fc.oneof(dayArb, instantArb),
  periods: fc.subarray(PERIODS, { minLength: 1 }),
  count: fc.integer({ min: 0, max: 1000 }),
});

describe('retentionForecast', () => {
  it('keeps every row: per month plus later adds up to the total, and overdue rows sit in the first month', () => {
    fc.assert(
      fc.property(
        fc.array(inputArb, { maxLength: 30 }),
        instantArb,
        fc.integer({ min: 1, max: 36 }),
        (inputs, now, months) => {
          const forecast = retentionForecast(inputs, new Date(now), months);
          assert.equal(forecast.months.length, months);
          assert.equal(forecast.months[0], amsterdamMonth(new Date(now)));
          for (const row of forecast.categories) {
            const sum = row.perMonth.reduce((a, b) => a + b, 0) + row.later;
            assert.equal(sum, row.total);
            assert.ok(row.overdue <= row.perMonth[0]);
            const expected = inputs
              .filter((i) => i.category === row.category && i.count > 0)
              .reduce((a, i) => a + i.count, 0);
            assert.equal(row.total, expected);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('puts each group in the Amsterdam month its latest period ends in', () => {
    fc.assert(
      fc.property(inputArb, instantArb, (input, now) => {
        const nowDate = new Date(now);
        const forecast = retentionForecast([{ ...input, count: 1 }], nowDate, 120);
        const row = forecast.categories[0];
        const expiry = expiryOf(input);
        const month = row.perMonth.findIndex((n) => n === 1);
        if (expiry.getTime() <= nowDate.getTime()) assert.equal(month, 0);
        else if (month >= 0) assert.equal(forecast.months[month], amsterdamMonth(expiry));
        else assert.equal(row.later, 1);
      }),
      { numRuns: 300 },
    );
  });

  it('counts month boundaries in Europe/Amsterdam, not UTC', () => {
    // 31 December 23:30 UTC is 1 January 00:30 in Amsterdam (winter time, UTC+1).
    const now = new Date('2026-12-15T12:00:00Z');
    const f = retentionForecast(
      [
        { category: 'disclosure_request', from: '2025-12-31T23:30:00Z', periods: ['P1Y'], count: 2 },
        { category: 'disclosure_request', from: '2025-12-31T22:30:00Z', periods: ['P1Y'], count: 3 },
      ],
      now,
      12,
    );
    expect(f.months.slice(0, 2)).toEqual(['2026-12', '2027-01']);
    expect(f.categories[0].perMonth.slice(0, 2)).toEqual([3, 2]);
    // Summer time (UTC+2): 31 May 22:30 UTC is already 1 June in Amsterdam.
    const summer = retentionForecast(
      [{ category: 'quarantine', from: '2026-02-28T22:30:00Z', periods: ['P3M'], count: 1 }],
      new Date('2026-05-01T10:00:00Z'),
      3,
    );
    expect(summer.months).toEqual(['2026-05', '2026-06', '2026-07']);
    expect(summer.categories[0].perMonth).toEqual([1, 0, 0]);
    const june = retentionForecast(
      [{ category: 'quarantine', from: '2026-03-31T22:30:00Z', periods: ['P2M'], count: 1 }],
      new Date('2026-05-01T10:00:00Z'),
      3,
    );
    // 31 March 22:30 UTC + 2 months = 31 May 22:30 UTC = 1 June 00:30 Amsterdam.
    expect(june.categories[0].perMonth).toEqual([0, 1, 0]);
  });

  it('takes the latest period (enrolment waits for every category) and counts past expiry as overdue', () => {
    const f = retentionForecast(
      [
        { category: 'enrolment', from: '2021-06-30', periods: ['P3M', 'P5Y'], count: 4 },
        { category: 'absence', from: '2020-01-10', periods: ['P5Y'], count: 7 },
      ],
      new Date('2026-03-10T09:00:00Z'),
      12,
    );
    const enrolment = f.categories.find((c) => c.category === 'enrolment');
    assert.equal(enrolment?.perMonth[3], 4); // 2026-06
    const absence = f.categories.find((c) => c.category === 'absence');
    assert.equal(absence?.overdue, 7);
    assert.equal(absence?.perMonth[0], 7);
  });
});
