import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import fc from 'fast-check';
import { dutchDate, dutchDay, dutchMoment } from './dutch-date.js';

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

describe('dutchDate and dutchMoment', () => {
  it('write a calendar date and an Amsterdam moment in words', () => {
    assert.equal(dutchDate('2026-12-05'), '5 december 2026');
    assert.equal(dutchDate('2026-03-29'), '29 maart 2026');
    // 23:30 UTC on 31 January is 00:30 on 1 February in Amsterdam (winter); 00:05 UTC in summer is 02:05.
    assert.equal(dutchMoment('2026-01-31T23:30:00Z'), '1 februari 2026 om 00:30');
    assert.equal(dutchMoment(new Date('2026-07-01T00:05:00Z')), '1 juli 2026 om 02:05');
  });

  it('keeps the calendar date of any YYYY-MM-DD of 1970–2199', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1970-01-01'), max: new Date('2199-12-31'), noInvalidDate: true }),
        (d) => {
          const iso = d.toISOString().slice(0, 10);
          const match = /^(\d{1,2}) ([a-z]+) (\d{4})$/.exec(dutchDate(iso));
          assert.ok(match, dutchDate(iso));
          assert.equal(Number(match[1]), Number(iso.slice(8, 10)));
          assert.equal(MONTHS.indexOf(match[2] ?? '') + 1, Number(iso.slice(5, 7)));
          assert.equal(match[3], iso.slice(0, 4));
        },
      ),
    );
  });
});
