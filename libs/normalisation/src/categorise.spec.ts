import assert from 'node:assert/strict';
import { describe, expect, it } from '@jest/globals';
import type { GenericKind, SourceRecord } from '#domain';
import { type Categorisation, categorise } from './categorise.js';
import { type ReasonMapping, parseReasonMapping } from './reason-mapping.js';
import { aSourceRecord } from '#testing';

function record(kind: GenericKind, fields: Partial<SourceRecord> = {}): SourceRecord {
  return aSourceRecord({
    kind,
    wholeDay: true,
    ...fields,
  });
}

function mapping(reasons: Record<string, unknown>, system = 'magister'): ReasonMapping {
  const result = parseReasonMapping({ system, version: '7', reasons });
  assert.ok(result.ok);
  return result.value;
}

const category = (c: Categorisation): [string, string, string] | string =>
  c.outcome === 'category'
    ? [c.category, c.legalClass, c.mapping.source]
    : c.outcome === 'drop'
      ? `drop:${c.why}`
      : `quarantine:${c.reason}`;

describe('categorise: the fallback when the school has no mapping (categories.md §3)', () => {
  it('follows the generic kinds', () => {
    const cases: [SourceRecord, [string, string, string] | string][] = [
      [record('ABSENT', { authorisedFlag: false }), ['UNAUTHORISED', 'unauthorised', 'fallback']],
      [record('ABSENT', { authorisedFlag: true }), ['OTHER', 'authorised', 'fallback']],
      [record('LATE', { authorisedFlag: false }), ['LATE_UNAUTHORISED', 'unauthorised', 'fallback']],
      [record('LATE', { authorisedFlag: true }), ['LATE_AUTHORISED', 'authorised', 'fallback']],
      [record('SICK'), ['SICK', 'authorised', 'fallback']],
      [record('SENT_OUT', { authorisedFlag: true }), ['SCHOOL_SENT_OUT', 'authorised', 'fallback']],
      [record('EXEMPTION'), ['TIMETABLE_ADJUSTMENT', 'not_absence', 'fallback']],
      [record('PRESENT', { via: 'TEACHER_CHECK' }), ['PRESENT', 'present', 'fallback']],
      [record('ABSENT', { via: 'TEACHER_CHECK' }), ['UNEXPLAINED', 'pending', 'fallback']],
      [record('NOT_SCHEDULED', { via: 'TEACHER_CHECK' }), 'drop:NOT_SCHEDULED'],
      [record('NOT_ATTENDANCE', { reasonCode: 'HV' }), 'drop:NOT_ATTENDANCE'],
    ];
    for (const [input, expected] of cases) expect(category(categorise(input, null))).toEqual(expected); // input.kind
  });

  it('a school without a mapping uses the fallback whatever the code', () => {
    expect(category(categorise(record('ABSENT', { authorisedFlag: false, reasonCode: 'SP' }), null))).toEqual(
      ['UNAUTHORISED', 'unauthorised', 'fallback'],
    );
  });

  it('an unknown kind (an adapter breaking the type) is quarantined, not a crash', () => {
    const odd = { ...record('ABSENT'), kind: 'BOOK_FORGOTTEN' } as unknown as SourceRecord;
    assert.equal(category(categorise(odd, null)), 'quarantine:UNKNOWN_KIND');
  });

  it('a missing authorised flag is never "unauthorised": quarantined as unmapped', () => {
    const absent = categorise(record('ABSENT'), null);
    assert.equal(absent.outcome, 'quarantine');
    assert.equal(absent.outcome === 'quarantine' && absent.reason, 'UNMAPPED_REASON');
    assert.match(absent.outcome === 'quarantine' ? absent.detail : '', /authorisedFlag/);
    assert.equal(categorise(record('LATE'), null).outcome, 'quarantine');
  });

  it('the flag does not matter where the kind decides (sick, sent out, teacher check)', () => {
    expect(category(categorise(record('SICK', { authorisedFlag: false }), null))).toEqual([
      'SICK',
      'authorised',
      'fallback',
    ]);
    expect(
      category(categorise(record('ABSENT', { via: 'TEACHER_CHECK', authorisedFlag: true }), null)),
    ).toEqual(['UNEXPLAINED', 'pending', 'fallback']);
  });
});

describe('categorise: a school mapping', () => {
  const school = mapping({
    SP: 'UNAUTHORISED',
    VW: 'SCHOOL_SENT_OUT',
    FAM: { category: 'OTHER', legalClass: 'unauthorised' },
    VAK: { category: 'UNAUTHORISED', luxury: true },
  });

  it('wins over the kind and the flag (SOMtoday: a sent-out reason booked as late and authorised)', () => {
    const result = categorise(record('LATE', { authorisedFlag: true, reasonCode: 'VW' }), school);
    expect(result).toEqual({
      outcome: 'category',
      category: 'SCHOOL_SENT_OUT',
      legalClass: 'authorised',
      luxury: false,
      mapping: { source: 'school', version: '7' },
    });
    expect(
      category(categorise(record('ABSENT', { authorisedFlag: true, reasonCode: 'FAM' }), school)),
    ).toEqual(['OTHER', 'unauthorised', 'school']);
  });

  it('carries the luxury flag for the LPW_LUXE rule', () => {
    const result = categorise(record('ABSENT', { reasonCode: 'VAK' }), school);
    assert.equal(result.outcome === 'category' && result.luxury, true);
  });

  it('trailing spaces in codes: "SP  " finds SP; "sp" does not', () => {
    expect(category(categorise(record('ABSENT', { reasonCode: 'SP  ' }), school))).toEqual([
      'UNAUTHORISED',
      'unauthorised',
      'school',
    ]);
    assert.equal(
      category(categorise(record('ABSENT', { reasonCode: 'sp' }), school)),
      'quarantine:UNMAPPED_REASON',
    );
  });

  it('an unmapped code never silently becomes a category', () => {
    const result = categorise(record('ABSENT', { authorisedFlag: false, reasonCode: 'XX' }), school);
    assert.equal(category(result), 'quarantine:UNMAPPED_REASON');
    assert.ok(
      result.outcome === 'quarantine' && !result.detail.includes('XX'),
      'the detail does not quote the code',
    );
  });

  it('never infers a category from the flag alone when a mapping exists', () => {
    assert.equal(
      category(categorise(record('ABSENT', { authorisedFlag: false }), school)),
      'quarantine:UNMAPPED_REASON',
    );
    assert.equal(
      category(categorise(record('LATE', { authorisedFlag: true }), school)),
      'quarantine:UNMAPPED_REASON',
    );
    // Kinds whose fallback does not depend on the flag still need no code.
    expect(category(categorise(record('SICK'), school))).toEqual(['SICK', 'authorised', 'fallback']);
    expect(category(categorise(record('ABSENT', { via: 'TEACHER_CHECK' }), school))).toEqual([
      'UNEXPLAINED',
      'pending',
      'fallback',
    ]);
  });

  it('a mapping for another system maps no codes', () => {
    const other = mapping({ SP: 'UNAUTHORISED' }, 'somtoday');
    const result = categorise(record('ABSENT', { reasonCode: 'SP' }), other);
    assert.equal(category(result), 'quarantine:UNMAPPED_REASON');
    assert.match(result.outcome === 'quarantine' ? result.detail : '', /somtoday/);
  });

  it('drops non-attendance remarks even when the school mapped their code', () => {
    const withHomework = mapping({ HV: 'UNAUTHORISED' });
    assert.equal(
      category(categorise(record('NOT_ATTENDANCE', { reasonCode: 'HV' }), withHomework)),
      'drop:NOT_ATTENDANCE',
    );
  });
});
