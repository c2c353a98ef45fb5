import assert from 'node:assert/strict';
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { pseudonymiseRequest, requestFromPseudonymised } from '../record-disclosure/index.js';
import { PutPupilCommand } from '../put-pupil/index.js';
import { escapeHtml } from './access-report.html.js';

describe('escapeHtml', () => {
  it('leaves no markup character unescaped (property)', () => {
    fc.assert(
      fc.property(fc.string(), (s) => !/[<>"'`]/.test(escapeHtml(s)) && !/&(?!#\d+;)/.test(escapeHtml(s))),
    );
  });
});

describe('pseudonymised requests', () => {
  it('keep field names and decision facts, drop every payload value', () => {
    const stored = pseudonymiseRequest({
      recipient: { kind: 'LEERPLICHT', id: '0344' },
      purpose: 'LEERPLICHT_ENFORCEMENT',
      reportKind: 'LRV',
      pupil: { ageAtDate: 16, consent: { jgz: true } },
      categories: ['SICK'],
      payload: { 'pupil.name': 'Jan Jansen', 'pupil.bsn': '111222333', 'absence.hours': 18 },
    });
    expect(stored.fields).toEqual(['absence.hours', 'pupil.bsn', 'pupil.name']);
    const text = JSON.stringify(stored);
    assert.ok(!text.includes('Jan') && !text.includes('111222333') && !text.includes('18'));
    expect(requestFromPseudonymised(stored).payload).toEqual({
      'absence.hours': null,
      'pupil.bsn': null,
      'pupil.name': null,
    });
  });
});

describe('PutPupilCommand', () => {
  const staff = { role: 'school_staff' as const, subject: 's', board: 'B', schools: ['99XX'] };
  const input = { school: '99XX', birthDate: '2011-05-04', sector: 'vo', enrolledFrom: '2023-08-21' };

  it('names every bad field with a code, never the value', () => {
    try {
      PutPupilCommand.create(staff, 'bad id!', {
        ...input,
        birthDate: '2011-02-30',
        sector: 'hbo',
        leftOn: '2020-01-01',
        bsn: '123456789',
        woongemeente: '344',
      });
      assert.fail('should refuse');
    } catch (error) {
      const e = error as { code: string; issues: { code: string }[] };
      assert.equal(e.code, 'PUPIL_INVALID');
      expect(e.issues.map((i) => i.code).sort()).toEqual([
        'BSN_ELFPROEF',
        'DATE_INVALID',
        'LEFT_BEFORE_ENROLLED',
        'LOCAL_ID_INVALID',
        'MUNICIPALITY_CODE_INVALID',
        'SECTOR_UNKNOWN',
      ]);
      assert.ok(!JSON.stringify(error).includes('123456789'));
    }
  });

  it('accepts a valid pupil; privacy officers may not write', () => {
    assert.equal(PutPupilCommand.create(staff, 'p-1', { ...input, bsn: '111222333' }).facts.bsn, '111222333');
    assert.throws(
      () => PutPupilCommand.create({ role: 'privacy_officer', subject: 'f', board: 'B' }, 'p-1', input),
      { code: 'ROLE_NOT_ALLOWED' },
    );
  });
});
