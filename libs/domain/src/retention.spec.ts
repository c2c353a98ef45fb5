import assert from 'node:assert/strict';
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { checkRetention, parseRetentionPeriod, shiftByPeriod } from './retention.js';
import { isValidBsn, pupilPseudonym } from './pupil.js';

describe('retention periods', () => {
  it('parses calendar durations and refuses times and junk', () => {
    expect(parseRetentionPeriod('P5Y')).toEqual({ years: 5, months: 0, days: 0 });
    expect(parseRetentionPeriod('P1Y6M2W3D')).toEqual({ years: 1, months: 6, days: 17 });
    for (const bad of ['P', 'PT5H', '5Y', 'P-1Y', '', 'P1.5Y']) {
      assert.throws(() => parseRetentionPeriod(bad), { code: 'RETENTION_PERIOD_INVALID' });
    }
  });

  it('shifts by calendar months, clamping month ends, across leap days', () => {
    const d = (s: string) => new Date(`${s}T00:00:00Z`);
    assert.equal(shiftByPeriod(d('2020-07-01'), 'P5Y').toISOString().slice(0, 10), '2025-07-01');
    assert.equal(shiftByPeriod(d('2024-02-29'), 'P1Y').toISOString().slice(0, 10), '2025-02-28');
    assert.equal(shiftByPeriod(d('2026-01-31'), 'P1M').toISOString().slice(0, 10), '2026-02-28');
    assert.equal(shiftByPeriod(d('2026-03-01'), 'P6M', -1).toISOString().slice(0, 10), '2025-09-01');
    assert.equal(shiftByPeriod(d('2026-03-01'), 'P1D', -1).toISOString().slice(0, 10), '2026-02-28');
  });

  it('a period never moves a date backwards (property)', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1990-01-01'), max: new Date('2090-01-01'), noInvalidDate: true }),
        fc.nat(30),
        fc.nat(24),
        fc.nat(400),
        (date, y, m, dd) => {
          const period = `P${y}Y${m}M${dd}D`;
          return (
            shiftByPeriod(date, period).getTime() >= date.getTime() &&
            shiftByPeriod(date, period, -1).getTime() <= date.getTime()
          );
        },
      ),
    );
  });

  it('checkRetention: enrolled, held, within the period, expired', () => {
    const at = new Date('2026-03-01T00:00:00Z');
    expect(checkRetention({ leftOn: null, legalHold: false }, at)).toEqual({
      keep: true,
      reason: 'ENROLLED',
      expiresOn: null,
    });
    expect(checkRetention({ leftOn: '2020-07-01', legalHold: true }, at)).toEqual({
      keep: true,
      reason: 'LEGAL_HOLD',
      expiresOn: '2025-07-01',
    });
    assert.equal(checkRetention({ leftOn: '2021-07-01', legalHold: false }, at).reason, 'WITHIN_PERIOD');
    expect(checkRetention({ leftOn: '2020-07-01', legalHold: false }, at)).toEqual({
      keep: false,
      reason: 'EXPIRED',
      expiresOn: '2025-07-01',
    });
    // The expiry day itself is past the period.
    assert.equal(checkRetention({ leftOn: '2021-03-01', legalHold: false }, at).keep, false);
  });
});

describe('BSN and pseudonyms', () => {
  it('applies the elfproef', () => {
    assert.equal(isValidBsn('111222333'), true);
    assert.equal(isValidBsn('123456782'), true);
    assert.equal(isValidBsn('123456789'), false);
    assert.equal(isValidBsn('000000000'), false);
    assert.equal(isValidBsn('12345678'), false);
    assert.equal(isValidBsn('1234567820'), false);
  });

  it('every 8-digit prefix has exactly the check digits the elfproef allows (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 99_999_999 }), (n) => {
        const prefix = String(n).padStart(8, '0');
        const valid = [...'0123456789'].filter((d) => isValidBsn(prefix + d));
        return valid.length <= 1;
      }),
    );
  });

  it('pseudonyms are stable per key, board and id, and differ otherwise', () => {
    const k1 = Buffer.alloc(32, 1);
    const k2 = Buffer.alloc(32, 2);
    assert.equal(pupilPseudonym(k1, 'B', 'p-1'), pupilPseudonym(k1, 'B', 'p-1'));
    assert.notEqual(pupilPseudonym(k1, 'B', 'p-1'), pupilPseudonym(k2, 'B', 'p-1'));
    assert.notEqual(pupilPseudonym(k1, 'B', 'p-1'), pupilPseudonym(k1, 'C', 'p-1'));
    assert.notEqual(pupilPseudonym(k1, 'B1', 'x'), pupilPseudonym(k1, 'B', '1x'));
    assert.match(pupilPseudonym(k1, 'B', 'p-1'), /^pp_[0-9a-f]{40}$/);
  });
});
