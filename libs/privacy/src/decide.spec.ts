import assert from 'node:assert/strict';
import { describe, expect, it } from '@jest/globals';
import type { DisclosureRequest } from '#domain';
import { decide } from './decide.js';
import { parsePolicy } from './parse-policy.js';
import type { Policy } from './policy.types.js';
import { SMALL_POLICY, fullPayload } from './privacy.test-support.js';

function policy(text = SMALL_POLICY): Policy {
  const parsed = parsePolicy(text);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  return parsed.value;
}

const AT = '2025-10-01';
const request = (over: Partial<DisclosureRequest> = {}): DisclosureRequest => ({
  recipient: { kind: 'DUO' },
  purpose: 'STATUTORY_REPORT',
  pupil: { ageAtDate: 15 },
  payload: fullPayload(),
  ...over,
});

describe('decide', () => {
  const p = policy();

  it('releases what a permit names and withholds the rest by default deny, naming the rule', () => {
    const d = decide(p, request(), { at: AT });
    assert.equal(d.effect, 'permit');
    expect(d.released).toEqual(['pupil.bsn', 'absence.beginDate', 'absence.hours']);
    const byField = new Map(d.withheld.map((w) => [w.field, w]));
    assert.equal(byField.get('pupil.name')?.rule, 'default-deny');
    assert.match(byField.get('pupil.name')!.reason, /Geen regel staat verstrekking van dit gegeven aan DUO/);
    expect(d.policy).toEqual({ id: 'spec-policy', version: '1' });
  });

  it('lets a forbid beat a permit that names the same field', () => {
    const d = decide(p, request(), { at: AT });
    const remarks = d.withheld.find((w) => w.field === 'registration.remarks');
    expect(remarks).toEqual({
      field: 'registration.remarks',
      rule: 'no-free-text',
      reason: 'Vrije tekst blijft op school.',
    });
    assert.ok(!d.released.includes('registration.remarks'));
    expect(d.determinedBy).toEqual(['duo', 'no-free-text']);
  });

  it('withholds unknown field paths, never releases them, even under a permit of every field', () => {
    const star = policy(SMALL_POLICY.replace('enabled: false', 'enabled: true'));
    const d = decide(star, request({ recipient: { kind: 'DUO' } }), { at: AT });
    assert.ok(!d.released.includes('pupil.shoeSize'));
    expect(d.withheld.find((w) => w.field === 'pupil.shoeSize')).toEqual({
      field: 'pupil.shoeSize',
      rule: 'unknown-field',
      reason: 'Onbekend gegeven: het staat niet in het gegevenswoordenboek en wordt nooit verstrekt.',
    });
    assert.match(d.explanation, /pupil\.shoeSize \(onbekend gegeven, wordt nooit verstrekt\)/);
  });

  it('ignores a disabled rule', () => {
    const d = decide(p, request({ recipient: { kind: 'JGZ' }, purpose: 'STATUTORY_REPORT' }), { at: AT });
    assert.equal(d.effect, 'deny');
    expect(d.released).toEqual([]);
    assert.ok(!d.determinedBy.includes('disabled-permit'));
    const bare = decide(p, request({ recipient: { kind: 'JGZ' }, payload: { 'pupil.name': 'x' } }), {
      at: AT,
    });
    expect(bare.determinedBy).toEqual(['default-deny']);
    assert.match(bare.explanation, /geen enkele regel van het beleid staat dit toe/);
    const enabled = policy(SMALL_POLICY.replace('enabled: false', 'enabled: true'));
    assert.equal(decide(enabled, request({ recipient: { kind: 'JGZ' } }), { at: AT }).effect, 'permit');
  });

  it('applies age conditions at 17 and not at 18 (ageBelow is exclusive)', () => {
    const at17 = decide(p, request({ recipient: { kind: 'LEERPLICHT' }, pupil: { ageAtDate: 17 } }), {
      at: AT,
    });
    const at18 = decide(p, request({ recipient: { kind: 'LEERPLICHT' }, pupil: { ageAtDate: 18 } }), {
      at: AT,
    });
    expect(at17.released).toEqual(['pupil.name', 'pupil.birthDate', 'absence.beginDate', 'absence.hours']);
    expect(at18.released).toEqual(['absence.hours']);
    expect(at18.determinedBy).toEqual(['leerplicht-extra', 'no-free-text']);
  });

  it('merges obligations of every permitting rule, the shortest term winning', () => {
    const d = decide(p, request({ recipient: { kind: 'LEERPLICHT' }, pupil: { ageAtDate: 12 } }), { at: AT });
    expect(d.obligations).toEqual([
      { kind: 'retention', period: 'P1Y', rules: ['leerplicht-minor', 'leerplicht-extra'] },
      { kind: 'notify_parent', withinDays: 3, rules: ['leerplicht-minor', 'leerplicht-extra'] },
    ]);
    assert.match(d.explanation, /Verplichtingen: bewaartermijn P1Y; ouders binnen 3 dagen informeren\./);
  });

  it('denies the whole request when a whole-request forbid matches', () => {
    const d = decide(
      p,
      request({ recipient: { kind: 'LEERPLICHT' }, categories: ['UNAUTHORISED', 'SICK'] }),
      { at: AT },
    );
    assert.equal(d.effect, 'deny');
    expect(d.released).toEqual([]);
    assert.ok(d.withheld.every((w) => w.rule === 'sick-stop' || w.rule === 'unknown-field'));
    expect(d.obligations).toEqual([]);
    assert.match(d.explanation, /worden geen gegevens verstrekt: regel sick-stop verbiedt dit/);
  });

  it('asks for consent as given, absent or withdrawn', () => {
    const jgz = (consent?: { jgz?: boolean }) =>
      decide(
        p,
        request({
          recipient: { kind: 'JGZ' },
          purpose: 'MAZL_CONSULTATION',
          pupil: { ageAtDate: 16, ...(consent ? { consent } : {}) },
        }),
        { at: AT },
      );
    assert.equal(jgz({ jgz: true }).effect, 'permit');
    assert.equal(jgz().effect, 'deny');
    assert.equal(jgz({ jgz: false }).effect, 'deny');
    assert.equal(jgz({}).effect, 'deny');
  });

  it('applies a rule only inside its validity window', () => {
    const before = decide(p, request(), { at: '2025-12-31T23:59:59+01:00' });
    const after = decide(p, request(), { at: '2026-01-01' });
    assert.ok(!before.released.includes('pupil.name'));
    assert.ok(after.released.includes('pupil.name'));
  });

  it('denies everything outside the policy version, saying why', () => {
    for (const at of ['2025-07-31T23:59:59+02:00', '2026-08-01', new Date('2030-01-01T00:00:00Z')]) {
      const d = decide(p, request(), { at });
      assert.equal(d.effect, 'deny');
      expect(d.released).toEqual([]);
      assert.ok(d.withheld.every((w) => w.rule === 'policy-not-effective'));
      expect(d.determinedBy).toEqual(['policy-not-effective']);
      assert.match(
        d.explanation,
        /Beleid spec-policy versie 1 is op .* niet van kracht \(het geldt vanaf 1 augustus 2025 tot 1 augustus 2026\)\. Er worden geen gegevens verstrekt\./,
      );
    }
  });

  it('explains in plain Dutch: recipient, purpose, count, legal basis, what was withheld and why', () => {
    const d = decide(p, request(), { at: AT });
    assert.match(
      d.explanation,
      /^Aan DUO voor een verzuimmelding mogen 3 gegevens worden verstrekt op grond van LPW art\. 21a \(wettelijke verplichting\), volgens regel duo: Melding aan DUO\./,
    );
    assert.match(d.explanation, /Verstrekt: pupil\.bsn, absence\.beginDate, absence\.hours\./);
    assert.match(d.explanation, /registration\.remarks \(regel no-free-text: vrije tekst blijft op school\)/);
    const one = decide(p, request({ payload: { 'pupil.bsn': '1' } }), { at: AT });
    assert.match(one.explanation, /mag 1 gegeven worden verstrekt/);
  });

  it('rejects an unreadable moment with a coded error', () => {
    assert.throws(() => decide(p, request(), { at: 'gisteren' }), { code: 'INVALID_INSTANT' });
  });

  it('does not change its input', () => {
    const r = request();
    const copy = structuredClone(r);
    decide(p, r, { at: AT });
    expect(r).toEqual(copy);
  });
});
