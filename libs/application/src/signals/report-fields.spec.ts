import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import fc from 'fast-check';
import type { CanonicalRecord, Signal } from '#domain';
import { aCanonicalRecord } from '#testing';
import { reportFieldsOf } from './report-fields.js';

function signalOf(measured: Partial<Signal['measured']>, evidence: readonly string[] = []): Signal {
  return {
    signalId: 'sig-1',
    rule: 'LPW_16H_4W',
    reportKind: '16U_MINDERJARIG',
    mandatory: true,
    pupil: { localId: 'p-1' },
    beginDate: '2026-01-12',
    endDate: '2026-02-06',
    measured: {
      unauthorisedMinutes: 800,
      unauthorisedLessons: 16,
      unit: 'LESSON_HOUR',
      hours: 16,
      ...measured,
    },
    threshold: 16,
    deadline: null,
    evidence,
    rulepack: { id: 'nl-default', version: '1' },
    legalBasis: 'LPW art. 21a',
  };
}

const records = (...list: CanonicalRecord[]): Map<string, CanonicalRecord> =>
  new Map(list.map((r) => [r.recordId, r]));

describe('reportFieldsOf', () => {
  it('carries the clock minutes beside the lesson hours', () => {
    const record = aCanonicalRecord({ recordId: 'r1' });
    const fields = reportFieldsOf(
      signalOf({ unauthorisedMinutes: 800, hours: 16 }, ['r1']),
      '99XX',
      { birthDate: '2011-04-05' },
      records(record),
    );
    assert.equal(fields['absence.hours'], 16);
    assert.equal(fields['absence.clockMinutes'], 800);
    assert.equal(fields['absence.days'], 1);
    assert.equal(fields['pupil.birthDate'], '2011-04-05');
  });

  it('never puts the name or the BSN in a draft', () => {
    const fields = reportFieldsOf(signalOf({}), '99XX', { birthDate: '2011-04-05' }, records());
    assert.equal('pupil.name' in fields, false);
    assert.equal('pupil.bsn' in fields, false);
  });

  it('property: the clock minutes are the measured minutes as a whole, non-negative number', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 100_000, noNaN: true }), (minutes) => {
        const fields = reportFieldsOf(
          signalOf({ unauthorisedMinutes: minutes }),
          '99XX',
          { birthDate: '2011-04-05' },
          records(),
        );
        const clock = fields['absence.clockMinutes'];
        assert.equal(typeof clock, 'number');
        assert.ok(Number.isInteger(clock) && (clock as number) >= 0);
        assert.ok(Math.abs((clock as number) - minutes) <= 0.5);
      }),
    );
  });
});
