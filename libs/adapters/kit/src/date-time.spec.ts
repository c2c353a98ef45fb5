import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type DateTime, endOfLocalDay, endsBeforeStart, localDate, parseDateTime } from './date-time.js';

const at = (text: string): DateTime => {
  const parsed = parseDateTime(text);
  assert.equal(typeof parsed, 'object', text);
  return parsed as DateTime;
};

describe('date-time', () => {
  it('keeps the text as given and tells instants from naive local time', () => {
    assert.deepEqual(
      [at('2026-02-02T10:00:00.000+01:00'), at('2025-11-05T08:30:00'), at('2025-11-05T08:30')].map((d) => [
        d.text,
        d.hasOffset,
      ]),
      [
        ['2026-02-02T10:00:00.000+01:00', true],
        ['2025-11-05T08:30:00', false],
        ['2025-11-05T08:30', false],
      ],
    );
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
});
