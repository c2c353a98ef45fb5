import assert from 'node:assert/strict';
import { describe, expect, it } from '@jest/globals';
import type { DisclosureRequest } from '#domain';
import { parsePolicy } from './parse-policy.js';
import { SMALL_POLICY, fullPayload } from './privacy.test-support.js';
import { ReleasedPayload, release } from './released-payload.js';

const parsed = parsePolicy(SMALL_POLICY);
if (!parsed.ok) throw new Error('spec policy invalid');
const policy = parsed.value;
const AT = '2025-10-01';
const request: DisclosureRequest = {
  recipient: { kind: 'DUO' },
  purpose: 'STATUTORY_REPORT',
  pupil: { ageAtDate: 15 },
  payload: { ...fullPayload(), 'absence.hours': { total: 17 } },
};

/** What a connector looks like: it accepts only a ReleasedPayload. */
function send(payload: ReleasedPayload): readonly string[] {
  return payload.paths;
}

describe('ReleasedPayload', () => {
  it('holds exactly the released fields and the decision that released them', () => {
    const { decision, released } = release(policy, request, { at: AT });
    assert.ok(released);
    expect(released.paths).toEqual(decision.released);
    expect(send(released)).toEqual(['pupil.bsn', 'absence.beginDate', 'absence.hours']);
    assert.equal(released.has('registration.remarks'), false);
    assert.equal(released.get('health.detail'), undefined);
    expect(released.decision).toEqual(decision);
    expect(JSON.parse(JSON.stringify(released))).toEqual({
      fields: {
        'pupil.bsn': 'value of pupil.bsn',
        'absence.beginDate': 'value of absence.beginDate',
        'absence.hours': { total: 17 },
      },
      policy: { id: 'spec-policy', version: '1' },
    });
  });

  it('is null for a deny', () => {
    const result = release(policy, { ...request, recipient: { kind: 'INSPECTIE' } }, { at: AT });
    assert.equal(result.decision.effect, 'deny');
    assert.equal(result.released, null);
  });

  it('cannot be changed, and is a copy: changing the request later does not change it', () => {
    const mutable = structuredClone(request) as { payload: Record<string, { total: number }> };
    const { released } = release(policy, mutable as unknown as DisclosureRequest, { at: AT });
    mutable.payload['absence.hours'].total = 99;
    expect(released!.get('absence.hours')).toEqual({ total: 17 });
    assert.throws(() => {
      (released!.fields as Record<string, unknown>)['health.detail'] = 'x';
    }, TypeError);
    assert.throws(() => {
      (released!.get('absence.hours') as { total: number }).total = 1;
    }, TypeError);
  });

  it('cannot be made outside release(), not even by casting around the type checker', () => {
    const Ctor = ReleasedPayload as unknown as new (...args: unknown[]) => unknown;
    assert.throws(() => new Ctor(Symbol('ReleasedPayload'), {}, {}), TypeError);
    assert.equal(ReleasedPayload.is({ fields: {}, decision: {} }), false);
    assert.equal(ReleasedPayload.is(release(policy, request, { at: AT }).released), true);
  });

  it('is unrepresentable as a literal or a copy (the compile errors are in typeLevelErrors below)', () => {
    const real = release(policy, request, { at: AT }).released!;
    assert.equal(ReleasedPayload.is({ ...real }), false, 'a spread copy is not a ReleasedPayload');
    assert.throws(() => {
      (real.fields as Record<string, unknown>)['pupil.bsn'] = 'x';
    }, TypeError);
    assert.equal(typeof typeLevelErrors, 'function');
  });
});

/**
 * Never called: `npm run build` type-checks it, and each `@ts-expect-error` fails the build if the line
 * below it ever compiles, i.e. if an unreleased payload becomes representable.
 */
function typeLevelErrors(real: ReleasedPayload): void {
  const lookalike = {
    fields: {},
    decision: real.decision,
    paths: [],
    has: () => false,
    get: () => undefined,
    toJSON: () => ({ fields: {}, policy: real.decision.policy }),
  };
  // @ts-expect-error an object of the same shape is not a ReleasedPayload (the #private field makes it nominal)
  const literal: ReleasedPayload = lookalike;
  // @ts-expect-error a spread copy loses the private field
  const copy: ReleasedPayload = { ...real };
  // @ts-expect-error the constructor is private
  const made = new ReleasedPayload(Symbol('x'), {}, real.decision);
  // @ts-expect-error a connector does not take a plain payload
  send({ 'pupil.bsn': '123' });
  // @ts-expect-error fields are read-only
  real.fields['pupil.bsn'] = 'x';
  void [literal, copy, made];
}
