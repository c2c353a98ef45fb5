import assert from 'node:assert/strict';
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
  MAX_CASE_NOTE_JWE,
  OFFICER_STATUSES,
  REPORT_STATUS_LABELS,
  ageGroupOn,
  compactJweProblem,
  officerMove,
} from './officer-workspace.js';
import { REPORT_STATUSES } from './report.js';

const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
const HEADER = { alg: 'ECDH-ES+A256KW', enc: 'A256GCM', epk: { kty: 'EC', crv: 'P-256', x: 'x', y: 'y' } };
const jwe = (header: unknown = HEADER): string => `${b64(header)}.a2V5.aXY.Y2lwaGVy.dGFn`;

describe('officer workspace: status moves', () => {
  it('a closed or withdrawn report never moves again; the refusal is Dutch and names where it stands', () => {
    expect(officerMove('REGISTERED', 'IN_BEHANDELING')).toEqual({ kind: 'apply' });
    expect(officerMove('IN_BEHANDELING', 'AFGESLOTEN')).toEqual({ kind: 'apply' });
    expect(officerMove('AFGESLOTEN', 'AFGESLOTEN')).toEqual({ kind: 'repeat' });
    const back = officerMove('AFGESLOTEN', 'IN_BEHANDELING');
    assert.equal(back.kind, 'refuse');
    assert.match(back.kind === 'refuse' ? back.reason : '', /al afgesloten.*"in behandeling"/);
    const tka = officerMove('TER_KENNISGEVING_AANGENOMEN', 'AFGESLOTEN');
    assert.match(tka.kind === 'refuse' ? tka.reason : '', /ter kennisgeving aangenomen/);
    assert.match((officerMove('WITHDRAWN', 'AFGESLOTEN') as { reason: string }).reason, /ingetrokken/);
  });

  it('never moves a report back in the lifecycle and never answers in codes (property)', () => {
    const rank = (s: string): number =>
      ({ SENT: 3, REGISTERED: 4, IN_BEHANDELING: 5, AFGESLOTEN: 6, TER_KENNISGEVING_AANGENOMEN: 6 })[s] ?? -1;
    fc.assert(
      fc.property(fc.constantFrom(...REPORT_STATUSES), fc.constantFrom(...OFFICER_STATUSES), (from, to) => {
        const move = officerMove(from, to);
        if (move.kind === 'apply') assert.ok(rank(to) > rank(from) || rank(from) < 0, `${from} → ${to}`);
        if (move.kind === 'repeat') assert.equal(from, to);
        if (move.kind === 'refuse') {
          assert.doesNotMatch(move.reason, /[A-Z]{2,}_[A-Z]+/, 'no codes in the explanation');
          assert.ok(move.reason.length > 20);
        }
        if (['AFGESLOTEN', 'TER_KENNISGEVING_AANGENOMEN', 'WITHDRAWN'].includes(from) && from !== to) {
          assert.equal(move.kind, 'refuse');
        }
      }),
    );
  });

  it('every status has a Dutch label', () => {
    for (const status of REPORT_STATUSES) assert.match(REPORT_STATUS_LABELS[status], /^[a-z]/);
  });
});

describe('officer workspace: age group', () => {
  it('turns 18 on the birthday, not a day before', () => {
    assert.equal(ageGroupOn('2008-12-05', '2026-12-05'), 'MEERDERJARIG');
    assert.equal(ageGroupOn('2008-12-06', '2026-12-05'), 'MINDERJARIG');
    assert.equal(ageGroupOn(undefined, '2026-12-05'), null);
    assert.equal(ageGroupOn('5 december', '2026-12-05'), null);
  });

  it('agrees with counting whole years (property)', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1990-01-01'), max: new Date('2030-12-31'), noInvalidDate: true }),
        fc.date({ min: new Date('1990-01-01'), max: new Date('2030-12-31'), noInvalidDate: true }),
        (birth, on) => {
          const b = birth.toISOString().slice(0, 10);
          const o = on.toISOString().slice(0, 10);
          const eighteenth = `${String(Number(b.slice(0, 4)) + 18).padStart(4, '0')}${b.slice(4)}`;
          assert.equal(ageGroupOn(b, o), o >= eighteenth ? 'MEERDERJARIG' : 'MINDERJARIG');
        },
      ),
    );
  });
});

describe('officer workspace: case note shape', () => {
  it('takes a compact JWE of the profile, bounded, without decrypting it', () => {
    assert.equal(compactJweProblem(jwe()), null);
    assert.notEqual(compactJweProblem(42), null);
    assert.notEqual(compactJweProblem('a.b.c'), null);
    assert.notEqual(compactJweProblem(jwe({ ...HEADER, alg: 'dir' })), null);
    assert.notEqual(compactJweProblem(jwe({ alg: 'ECDH-ES+A256KW', enc: 'A256GCM' })), null);
    assert.notEqual(compactJweProblem(jwe({ ...HEADER, epk: { ...HEADER.epk, d: 'secret' } })), null);
    assert.notEqual(compactJweProblem(`${jwe()}${'A'.repeat(MAX_CASE_NOTE_JWE)}`), null);
    assert.notEqual(compactJweProblem('!!.a.b.c.d'), null);
  });

  it('never throws on hostile input (property)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.anything()), (value) => {
        const problem = compactJweProblem(value);
        assert.ok(problem === null || typeof problem === 'string');
      }),
    );
  });
});
