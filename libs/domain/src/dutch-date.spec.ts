import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { dutchDay } from './dutch-date.js';

const MONTHS = [
  'januari',
  'februari',
  'maart',
  'april',
  'mei',
  'juni',
  'juli',
  'augustus',
  'september',
  'oktober',
  'november',
  'december',
];

describe('dutchDay', () => {
  it('names the Amsterdam day in words, not the UTC one', () => {
    assert.equal(dutchDay('2026-12-15T10:00:00Z'), '15 december 2026');
    // 23:30 UTC in winter is 00:30 the next day in Amsterdam; in summer 22:30 UTC is already the next day.
    assert.equal(dutchDay('2026-01-31T23:30:00Z'), '1 februari 2026');
    assert.equal(dutchDay('2026-07-31T22:30:00Z'), '1 augustus 2026');
    assert.equal(dutchDay(new Date('2026-03-29T00:59:59Z')), '29 maart 2026');
  });

  it('is "day month year" with a Dutch month for any instant of 1970–2199', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1970-01-01'), max: new Date('2199-12-31'), noInvalidDate: true }),
        (d) => {
          const match = /^(\d{1,2}) ([a-z]+) (\d{4})$/.exec(dutchDay(d));
          assert.ok(match, dutchDay(d));
          assert.ok(MONTHS.includes(match[2] ?? ''));
          const day = Number(match[1]);
          assert.ok(day >= 1 && day <= 31);
        },
      ),
    );
  });
});
