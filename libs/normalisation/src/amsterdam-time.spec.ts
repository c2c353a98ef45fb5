import assert from 'node:assert/strict';
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { DateTime } from 'luxon';
import {
  formatLocal,
  localDateOf,
  parseDateKey,
  parseTime,
  toLocalIso,
  wallToInstant,
} from './amsterdam-time.js';

describe('toLocalIso / localDateOf', () => {
  it('DST change in March: 01:59 is +01:00, 03:00 is +02:00, and 02:30 does not exist', () => {
    assert.equal(toLocalIso('2026-03-29T01:59:00'), '2026-03-29T01:59:00+01:00');
    assert.equal(toLocalIso('2026-03-29T03:00:00'), '2026-03-29T03:00:00+02:00');
    assert.equal(toLocalIso('2026-03-29T00:59:59Z'), '2026-03-29T01:59:59+01:00');
    assert.equal(toLocalIso('2026-03-29T01:00:00Z'), '2026-03-29T03:00:00+02:00');
    assert.equal(toLocalIso('2026-03-29T02:30:00'), null, 'a wall time in the skipped hour is no time');
  });

  it('DST change in October: the repeated hour is read as its first occurrence (+02:00)', () => {
    assert.equal(toLocalIso('2026-10-25T01:59:00'), '2026-10-25T01:59:00+02:00');
    assert.equal(toLocalIso('2026-10-25T02:30:00'), '2026-10-25T02:30:00+02:00');
    assert.equal(toLocalIso('2026-10-25T03:00:00'), '2026-10-25T03:00:00+01:00');
    assert.equal(toLocalIso('2026-10-25T00:59:59Z'), '2026-10-25T02:59:59+02:00');
    assert.equal(toLocalIso('2026-10-25T01:00:00Z'), '2026-10-25T02:00:00+01:00');
  });

  it('midnight in UTC: Magister 23:00Z is the next local day, with 7 fractional digits', () => {
    assert.equal(toLocalIso('2026-01-12T23:00:00.0000000Z'), '2026-01-13T00:00:00+01:00');
    assert.equal(localDateOf('2026-01-12T23:00:00.0000000Z'), '2026-01-13');
    assert.equal(localDateOf('2026-06-30T22:00:00Z'), '2026-07-01', 'summer: 22:00Z is local midnight');
    assert.equal(localDateOf('2026-01-12T22:59:59Z'), '2026-01-12');
  });

  it('keeps instants with an offset and converts them to Amsterdam', () => {
    assert.equal(toLocalIso('2026-02-02T10:00:00.000+01:00'), '2026-02-02T10:00:00+01:00');
    assert.equal(toLocalIso('2026-02-02T05:00:00-04:00'), '2026-02-02T10:00:00+01:00');
    assert.equal(toLocalIso('2026-01-13T08:20:00.0000000Z'), '2026-01-13T09:20:00+01:00');
  });

  it('leap day: 2028-02-29 exists, 2027-02-29 and 2100-02-29 do not', () => {
    assert.equal(toLocalIso('2028-02-29T08:30:00'), '2028-02-29T08:30:00+01:00');
    assert.equal(localDateOf('2028-02-29'), '2028-02-29');
    assert.equal(toLocalIso('2027-02-29T08:30:00'), null);
    assert.equal(parseDateKey('2100-02-29'), null);
    assert.notEqual(parseDateKey('2000-02-29'), null);
  });

  it('a date alone is its local midnight', () => {
    assert.equal(toLocalIso('2026-07-01'), '2026-07-01T00:00:00+02:00');
    assert.equal(localDateOf('2026-07-01'), '2026-07-01');
  });

  it('refuses what is not a time', () => {
    for (const bad of [
      '',
      'tomorrow',
      '2026-13-01',
      '2026-01-32',
      '2026-01-01T24:00:00',
      '2026-01-01T10:60',
      '26-01-01',
    ]) {
      assert.equal(toLocalIso(bad), null, bad);
      assert.equal(localDateOf(bad), null, bad);
    }
  });

  it('marks UTC texts (Z or +00:00) as zulu, naive texts as local', () => {
    expect(parseTime('2026-01-12T23:00:00Z')).toEqual({
      ms: Date.UTC(2026, 0, 12, 23),
      form: 'instant',
      zulu: true,
    });
    assert.equal(parseTime('2026-01-12T23:00:00+00:00')!.zulu, true);
    assert.equal(parseTime('2026-01-12T23:00:00')!.form, 'local');
  });

  it('agrees with luxon for any instant and any existing wall time (property)', () => {
    const from = Date.UTC(2024, 0, 1);
    const to = Date.UTC(2030, 0, 1);
    fc.assert(
      fc.property(fc.integer({ min: from / 1000, max: to / 1000 }), (seconds) => {
        const ms = seconds * 1000;
        const expected = DateTime.fromMillis(ms, { zone: 'Europe/Amsterdam' }).toISO({
          suppressMilliseconds: true,
        });
        assert.equal(formatLocal(ms), expected);
        // Round trip through the wall time, unless it is the repeated hour's second occurrence.
        const wall = DateTime.fromMillis(ms, { zone: 'Europe/Amsterdam' });
        const wallMs = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
        const back = wallToInstant(wallMs);
        assert.ok(back === ms || (back !== null && ms - back === 3_600_000), 'the wall time maps back');
      }),
      { numRuns: 2000 },
    );
  });

  it('agrees with luxon within three hours of every DST change 1980–2150, cached or not (property)', () => {
    const lastSunday = (year: number, month: number): number => {
      const last = Date.UTC(year, month + 1, 0);
      return last - new Date(last).getUTCDay() * 86_400_000;
    };
    const nearChange = fc
      .tuple(
        fc.integer({ min: 1980, max: 2150 }),
        fc.constantFrom(2, 9),
        fc.integer({ min: -3 * 3600, max: 3 * 3600 }),
      )
      .map(([year, month, seconds]) => lastSunday(year, month) + 3_600_000 + seconds * 1000);
    fc.assert(
      fc.property(nearChange, fc.boolean(), (ms, asWall) => {
        const zoned = DateTime.fromMillis(ms, { zone: 'Europe/Amsterdam' });
        if (!asWall) {
          assert.equal(formatLocal(ms), zoned.toISO({ suppressMilliseconds: true }));
          return;
        }
        // The instant's digits read as a wall time: luxon resolves it the same way, or it does not exist.
        const wall = DateTime.fromObject(
          {
            year: new Date(ms).getUTCFullYear(),
            month: new Date(ms).getUTCMonth() + 1,
            day: new Date(ms).getUTCDate(),
            hour: new Date(ms).getUTCHours(),
            minute: new Date(ms).getUTCMinutes(),
            second: new Date(ms).getUTCSeconds(),
          },
          { zone: 'Europe/Amsterdam' },
        );
        const exists = wall.hour === new Date(ms).getUTCHours();
        const got = wallToInstant(ms);
        if (!exists) {
          assert.equal(got, null);
          return;
        }
        // An instant luxon shows as that wall time; of the repeated hour, the first (summer time) occurrence.
        const shown = (at: number): string =>
          DateTime.fromMillis(at, { zone: 'Europe/Amsterdam' }).toFormat("yyyy-MM-dd'T'HH:mm:ss");
        assert.ok(got !== null);
        assert.equal(shown(got), new Date(ms).toISOString().slice(0, 19));
        assert.notEqual(shown(got - 3_600_000), shown(got));
        assert.ok(got === wall.toMillis() || got === wall.toMillis() - 3_600_000);
      }),
      { numRuns: 4000 },
    );
  });
});
