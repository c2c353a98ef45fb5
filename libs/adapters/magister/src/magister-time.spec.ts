import assert from 'node:assert/strict';
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { amsterdamDate, nextDate, parseTimestamp, utcIso, zuluEpochMs } from './magister-time.js';

const epoch = (text: string): number => {
  const parsed = parseTimestamp(text);
  assert.ok(parsed.ok, `${text} parses`);
  return parsed.value.epochMs;
};

describe('magister timestamps', () => {
  it('reads seven fractional digits (which Date.parse does not promise)', () => {
    assert.equal(epoch('2026-01-12T23:00:00.0000000Z'), Date.UTC(2026, 0, 12, 23));
    assert.equal(epoch('2026-01-13T08:20:00.1239999Z'), Date.UTC(2026, 0, 13, 8, 20, 0, 123));
  });

  it('reads offsets, and zone-less wall-clock time as written', () => {
    assert.equal(epoch('2026-01-13T09:20:00+01:00'), Date.UTC(2026, 0, 13, 8, 20));
    assert.equal(epoch('2026-07-13T09:20:00+0200'), Date.UTC(2026, 6, 13, 7, 20));
    const local = parseTimestamp('2026-01-13T00:00:00');
    assert.ok(local.ok && !local.value.zoned && local.value.writtenDate === '2026-01-13');
  });

  it('calls text that is no timestamp WRONG_TYPE and an impossible one IMPOSSIBLE_TIME', () => {
    for (const text of ['', '13-01-2026', '2026-1-13', 'gisteren', '2026-01-13T8:20:00Z', '2026-01-13Z']) {
      expect(parseTimestamp(text)).toEqual({ ok: false, reason: 'WRONG_TYPE' }); // text
    }
    for (const text of [
      '2026-02-29T00:00:00Z',
      '2026-13-01T00:00:00Z',
      '2026-04-31T00:00:00Z',
      '2026-01-13T24:00:00Z',
      '2026-01-13T10:60:00Z',
      '0001-01-01T00:00:00.0000000Z',
      '2026-01-13T10:00:00+15:00',
    ]) {
      expect(parseTimestamp(text)).toEqual({ ok: false, reason: 'IMPOSSIBLE_TIME' }); // text
    }
  });

  it('knows leap days', () => {
    assert.ok(parseTimestamp('2028-02-29T00:00:00Z').ok);
    assert.ok(!parseTimestamp('2100-02-29T00:00:00Z').ok);
  });

  it('gives the Amsterdam date in winter (UTC+1) and summer (UTC+2)', () => {
    assert.equal(amsterdamDate(Date.UTC(2026, 0, 12, 22, 59)), '2026-01-12');
    assert.equal(amsterdamDate(Date.UTC(2026, 0, 12, 23, 0)), '2026-01-13');
    assert.equal(amsterdamDate(Date.UTC(2026, 6, 12, 21, 59)), '2026-07-12');
    assert.equal(amsterdamDate(Date.UTC(2026, 6, 12, 22, 0)), '2026-07-13');
  });

  it('writes UTC ISO without a zero fraction', () => {
    assert.equal(utcIso(Date.UTC(2026, 0, 13, 8, 20)), '2026-01-13T08:20:00Z');
    assert.equal(utcIso(Date.UTC(2026, 0, 13, 8, 20, 0, 5)), '2026-01-13T08:20:00.005Z');
  });

  it('steps to the next day across month and leap-year ends', () => {
    assert.equal(nextDate('2026-01-31'), '2026-02-01');
    assert.equal(nextDate('2028-02-28'), '2028-02-29');
    assert.equal(nextDate('2026-12-31'), '2027-01-01');
  });

  it('reads the common UTC form directly exactly as parseTimestamp does, and declines everything else', () => {
    const digits = (n: number) =>
      fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: n, maxLength: n });
    const near = fc
      .tuple(
        digits(4),
        digits(2),
        digits(2),
        digits(2),
        digits(2),
        digits(2),
        fc.option(fc.string({ unit: fc.constantFrom(...'0123456789x'), minLength: 0, maxLength: 10 })),
        fc.constantFrom('Z', 'z', '+01:00', ''),
        fc.constantFrom('', ' '),
      )
      .map(
        ([y, mo, d, h, mi, s, f, zone, pad]) =>
          `${pad}${y}-${mo}-${d}T${h}:${mi}:${s}${f === null ? '' : `.${f}`}${zone}`,
      );
    const plausible = fc
      .date({ min: new Date(Date.UTC(1890, 0, 1)), max: new Date(Date.UTC(2210, 0, 1)), noInvalidDate: true })
      .chain((date) =>
        fc.integer({ min: 0, max: 7 }).map((fraction) => {
          const iso = date.toISOString();
          return fraction === 0
            ? `${iso.slice(0, 19)}Z`
            : `${iso.slice(0, 19)}.${'1234567'.slice(0, fraction)}Z`;
        }),
      );
    fc.assert(
      fc.property(fc.oneof(near, plausible, fc.string()), (text) => {
        const direct = zuluEpochMs(text);
        const parsed = parseTimestamp(text);
        if (Number.isNaN(direct)) {
          // Declined: only texts outside the exact common form (which parseTimestamp then reads) are.
          if (parsed.ok && parsed.value.zoned && text.endsWith('Z') && text.trim() === text) {
            assert.fail(`declined ${text}`);
          }
        } else {
          assert.ok(parsed.ok && parsed.value.zoned, text);
          assert.equal(direct, parsed.value.epochMs, text);
        }
      }),
      { numRuns: 3000 },
    );
  });
});
