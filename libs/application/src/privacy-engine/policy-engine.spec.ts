import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { PrivacyPolicyEngine } from './policy-engine.js';

const defaultPolicy = readFileSync(
  new URL('../../../../../config/privacy/default.policy.yaml', import.meta.url),
  'utf8',
);

describe('PrivacyPolicyEngine (the PolicyEngine port over #privacy)', () => {
  const engine = new PrivacyPolicyEngine();

  it('validates the default policy and reports what it says about itself', () => {
    const result = engine.validate(defaultPolicy);
    assert.ok(result.ok);
    assert.equal(result.value.id, 'ketenpoort-standaard');
    assert.match(result.value.effectiveFrom, /^\d{4}-\d{2}-\d{2}/);
  });

  it('names the line of a problem in a broken policy, never throwing', () => {
    const result = engine.validate(defaultPolicy.replace(/^version: .*$/m, 'version: [unclosed'));
    assert.equal(result.ok, false);
    if (!result.ok) assert.ok(result.issues.some((i) => /line \d+/.test(i.field)));
  });

  it('decides with the policy text it is handed: BSN to DUO released, remarks withheld', () => {
    const decision = engine.decide(
      defaultPolicy,
      {
        recipient: { kind: 'DUO' },
        purpose: 'STATUTORY_REPORT',
        reportKind: '16U_MINDERJARIG',
        pupil: { ageAtDate: 14 },
        payload: { 'pupil.bsn': '123456782', 'registration.remarks': 'vrije tekst' },
      },
      new Date('2026-03-02T10:00:00+01:00'),
    );
    assert.equal(decision.effect, 'permit');
    expect(decision.released).toEqual(['pupil.bsn']);
    expect(decision.withheld.map((w) => w.field)).toEqual(['registration.remarks']);
  });

  it('reads retention periods from the policy, falling back to the category default', () => {
    assert.match(engine.retentionPeriod(defaultPolicy, 'absence', {}), /^P\d+[YMD]$/);
    assert.equal(
      engine.retentionPeriod(defaultPolicy, 'absence', { recipient: 'DUO' }),
      engine.retentionPeriod(defaultPolicy, 'absence', {}),
    );
  });

  it('refuses a stored text that no longer parses with a coded error, not a crash', () => {
    assert.throws(
      () => engine.retentionPeriod('not: [a policy', 'absence', {}),
      (error: Error & { code?: string }) => error.code === 'STORED_POLICY_INVALID',
    );
  });
});
