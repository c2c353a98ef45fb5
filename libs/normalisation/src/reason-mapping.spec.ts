import assert from 'node:assert/strict';
import { describe, expect, it } from '@jest/globals';
import { normaliseReasonCode, parseReasonMapping } from './reason-mapping.js';

describe('parseReasonMapping', () => {
  it('reads the contracts §5 form and the object form', () => {
    const result = parseReasonMapping({
      system: 'magister',
      version: '2026-01',
      reasons: {
        SP: 'UNAUTHORISED',
        TA: 'MEDICAL_VISIT',
        FAM: { category: 'OTHER', legalClass: 'authorised' },
        VAK: { category: 'UNAUTHORISED', luxury: true },
        ZK: { category: 'SICK', legalClass: 'authorised' },
      },
    });
    assert.ok(result.ok);
    const { value } = result;
    assert.equal(value.system, 'magister');
    assert.equal(value.version, '2026-01');
    expect(value.reasons.get('SP')).toEqual({
      category: 'UNAUTHORISED',
      legalClass: 'unauthorised',
      luxury: false,
    });
    expect(value.reasons.get('FAM')).toEqual({
      category: 'OTHER',
      legalClass: 'authorised',
      luxury: false,
    });
    expect(value.reasons.get('VAK')).toEqual({
      category: 'UNAUTHORISED',
      legalClass: 'unauthorised',
      luxury: true,
    });
    assert.equal(value.reasons.get('ZK')?.legalClass, 'authorised');
  });

  it('trailing spaces in codes: keys are stored without them; case still matters', () => {
    const result = parseReasonMapping({
      system: 'magister',
      version: 1,
      reasons: { 'TL  ': 'LATE_UNAUTHORISED', tl: 'LATE_AUTHORISED' },
    });
    assert.ok(result.ok);
    assert.equal(result.value.version, '1', 'a YAML number version is kept as text');
    assert.equal(result.value.reasons.get('TL')?.category, 'LATE_UNAUTHORISED');
    assert.equal(result.value.reasons.get('tl')?.category, 'LATE_AUTHORISED');
    assert.equal(result.value.reasons.has('TL  '), false);
  });

  it('trailing spaces in codes: two keys that differ only by them are a duplicate', () => {
    const result = parseReasonMapping({
      system: 'magister',
      version: '1',
      reasons: { TL: 'LATE_UNAUTHORISED', 'TL ': 'LATE_AUTHORISED' },
    });
    assert.ok(!result.ok);
    expect(result.issues.map((i) => [i.field, i.code])).toEqual([['reasons["TL "]', 'DUPLICATE_CODE']]);
  });

  it('names the bad key and a code, never the bad value', () => {
    const result = parseReasonMapping({
      system: 'parnassys',
      reasons: {
        SP: 'TRUANCY',
        FAM: 'OTHER',
        MB: { category: 'MEDICAL_VISIT', legalClass: 'unauthorised' },
        X1: { category: 'OTHER', legalClass: 'maybe' },
        X2: { category: 'SICK', legalclass: 'authorised' },
        X3: { category: 'UNAUTHORISED', luxury: 'yes' },
        X4: 42,
        '   ': 'SICK',
        X5: { legalClass: 'authorised' },
      },
    });
    assert.ok(!result.ok);
    expect(result.issues.map((i) => [i.field, i.code])).toEqual([
      ['system', 'UNKNOWN_SYSTEM'],
      ['version', 'MISSING_FIELD'],
      ['reasons["SP"]', 'UNKNOWN_CATEGORY'],
      ['reasons["FAM"].legalClass', 'MISSING_LEGAL_CLASS'],
      ['reasons["MB"].legalClass', 'INCONSISTENT_LEGAL_CLASS'],
      ['reasons["X1"].legalClass', 'UNKNOWN_LEGAL_CLASS'],
      ['reasons["X2"].legalclass', 'UNKNOWN_FIELD'],
      ['reasons["X3"].luxury', 'WRONG_TYPE'],
      ['reasons["X4"]', 'WRONG_TYPE'],
      ['reasons["   "]', 'EMPTY_CODE'],
      ['reasons["X5"].category', 'MISSING_FIELD'],
    ]);
    const messages = result.issues.map((i) => i.message).join(' ');
    for (const value of ['TRUANCY', 'maybe', 'parnassys', 'yes']) assert.ok(!messages.includes(value), value);
  });

  it('refuses what is no mapping at all', () => {
    for (const value of [null, 'SP: UNAUTHORISED', [], 3]) {
      const result = parseReasonMapping(value);
      assert.ok(!result.ok);
      assert.equal(result.issues[0].code, 'WRONG_TYPE');
    }
    const noReasons = parseReasonMapping({ system: 'magister', version: '1', reasons: ['SP'] });
    assert.ok(!noReasons.ok);
    expect(noReasons.issues[0]).toEqual({
      field: 'reasons',
      code: 'WRONG_TYPE',
      message: 'reasons must map codes to categories',
    });
    const emptyVersion = parseReasonMapping({ system: 'magister', version: ' ', reasons: {} });
    assert.ok(!emptyVersion.ok);
    assert.equal(emptyVersion.issues[0].code, 'EMPTY_VERSION');
  });

  it('empty: a mapping without reasons is valid (every coded record will be quarantined)', () => {
    const result = parseReasonMapping({
      system: 'somtoday',
      version: 'v0',
      reasons: {},
      description: 'ignored',
    });
    assert.ok(result.ok);
    assert.equal(result.value.reasons.size, 0);
  });
});

describe('normaliseReasonCode', () => {
  it('trailing spaces in codes: removes trailing whitespace only; empty is no code', () => {
    assert.equal(normaliseReasonCode('TL  '), 'TL');
    assert.equal(normaliseReasonCode(' TL'), ' TL');
    assert.equal(normaliseReasonCode('   '), null);
    assert.equal(normaliseReasonCode(null), null);
  });
});
