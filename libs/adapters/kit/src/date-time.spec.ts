import assert from 'node:assert/strict';
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
  type DateTime,
  endOfLocalDay,
  endsBeforeStart,
  intlOffsetMs,
  localDate,
  parseDateTime,
} from './date-time.js';

const at = (text: string): DateTime => {
  const parsed = parseDateTime(text);
  assert.equal(typeof parsed, 'object', text);
  return parsed as DateTime;
};

describe('date-time', () => {
  it('keeps the text as given and tells instants from naive local time', () => {
    expect(
      [at('2026-02-02T10:00:00.000+01:00'), at('2025-11-05T08:30:00'), at('2025-11-05T08:30')].map((d) => [
        d.text,
        d.hasOffset,
      ]),
    ).toEqual([
      ['2026-02-02T10:00:00.000+01:00', true],
      ['2025-11-05T08:30:00', false],
      ['2025-11-05T08:30', false],
    ]);
  });

  it('dates an instant by its Amsterdam local date, DST included', () => {
    assert.equal(localDate(at('2026-01-12T23:00:00Z')), '2026-01-13');
    assert.equal(localDate(at('2026-06-30T22:30:00Z')), '2026-07-01');
    assert.equal(localDate(at('2026-06-30T21:30:00Z')), '2026-06-30');
    assert.equal(localDate(at('2026-03-29T00:30:00.000+01:00')), '2026-03-29');
    assert.equal(localDate(at('2025-11-05T23:59:59')), '2025-11-05');
  });

  it('accepts a leap day and rejects impossible dates and times', () => {
    assert.equal(localDate(at('2028-02-29T08:30:00')), '2028-02-29');
    for (const text of [
      '2026-02-29T08:30:00',
      '2026-02-30T10:00:00+01:00',
      '2026-13-01T00:00:00',
      '2026-04-31T00:00:00',
      '2026-01-01T24:00:00',
      '2026-01-01T10:60:00',
      '2026-01-01T10:00:60',
      '2026-01-01T10:00:00+19:00',
      '0026-01-01T10:00:00',
    ]) {
      assert.equal(parseDateTime(text), 'IMPOSSIBLE_TIME', text);
    }
  });

  it('rejects other shapes as a wrong type', () => {
    for (const text of [
      '2026-02-02',
      '02-02-2026 10:00',
      '2026-02-02 10:00:00',
      '1770022800',
      '',
      'morgen',
    ]) {
      assert.equal(parseDateTime(text), 'WRONG_TYPE', text);
    }
  });

  it('orders instants by instant and naive times by wall clock, across the autumn DST change', () => {
    // 02:30 CEST comes before 02:15 CET on 26 October 2025.
    assert.equal(endsBeforeStart(at('2025-10-26T02:30:00+02:00'), at('2025-10-26T02:15:00+01:00')), false);
    assert.equal(endsBeforeStart(at('2025-11-05T08:47:00'), at('2025-11-05T08:30:00')), true);
    assert.equal(endsBeforeStart(at('2025-11-05T08:30:00'), at('2025-11-05T08:30:00')), false);
    // Mixed: the instant is compared by its Amsterdam wall clock (09:30 CET).
    assert.equal(endsBeforeStart(at('2025-11-05T09:00:00'), at('2025-11-05T08:30:00Z')), false);
  });

  it('ends a local day at the next local midnight, naive, across month and year ends', () => {
    assert.equal(endOfLocalDay(at('2026-02-09T00:00:00.000+01:00')), '2026-02-10T00:00:00');
    assert.equal(endOfLocalDay(at('2025-12-31T13:00:00')), '2026-01-01T00:00:00');
    assert.equal(endOfLocalDay(at('2026-03-28T23:30:00Z')), '2026-03-30T00:00:00');
  });

  it('reads the Amsterdam wall clock from the per-hour cache exactly as Intl does, DST changes included', () => {
    const lastSunday = (year: number, month: number): number => {
      const last = Date.UTC(year, month + 1, 0);
      return last - new Date(last).getUTCDay() * 86_400_000;
    };
    // Instants within three hours of a change (last Sunday of March or October, 01:00 UTC), anywhere in
    // 1900–2199, and anywhere at all (the pre-1940 offsets of 19 min 32 s and 20 min included).
    const nearChange = fc
      .tuple(
        fc.integer({ min: 1900, max: 2199 }),
        fc.constantFrom(2, 9),
        fc.integer({ min: -3 * 3_600_000, max: 3 * 3_600_000 }),
      )
      .map(([year, month, delta]) => lastSunday(year, month) + 3_600_000 + delta);
    const anywhere = fc.integer({ min: Date.UTC(1900, 0, 2), max: Date.UTC(2199, 11, 30) });
    const text = (ms: number, offsetMinutes: number): string => {
      const shifted = new Date(ms + offsetMinutes * 60_000).toISOString().slice(0, 23);
      if (offsetMinutes === 0) return `${shifted}Z`;
      const abs = Math.abs(offsetMinutes);
      const hh = String(Math.floor(abs / 60)).padStart(2, '0');
      const mm = String(abs % 60).padStart(2, '0');
      return `${shifted}${offsetMinutes < 0 ? '-' : '+'}${hh}:${mm}`;
    };
    fc.assert(
      fc.property(fc.oneof(nearChange, anywhere), fc.constantFrom(0, 60, 120, -300, 20), (ms, offset) => {
        const parsed = at(text(ms, offset));
        assert.equal(parsed.instantMs, ms);
        assert.equal(parsed.wallMs, ms + intlOffsetMs(ms));
        assert.equal(localDate(parsed), new Date(ms + intlOffsetMs(ms)).toISOString().slice(0, 10));
      }),
      { numRuns: 4000 },
    );
  });
});
