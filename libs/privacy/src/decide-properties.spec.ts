import assert from 'node:assert/strict';
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { CATEGORIES, type DisclosureRequest, RECIPIENT_KINDS, REPORT_FIELD_PATHS } from '#domain';
import { decide } from './decide.js';
import type { Policy, PolicyRule } from './policy.types.js';

const PURPOSES = ['STATUTORY_REPORT', 'MAZL_CONSULTATION'];
const SOME_CATEGORIES = ['SICK', 'UNAUTHORISED', 'SCHOOL_SUSPENSION'];
const FIELDS = [...REPORT_FIELD_PATHS];
const AT = '2026-01-15';

const subset = <T>(items: readonly T[]) => fc.subarray([...items], { minLength: 1 });

const ruleArb: fc.Arbitrary<Omit<PolicyRule, 'id'>> = fc.record(
  {
    effect: fc.constantFrom('permit' as const, 'forbid' as const),
    reason: fc.constant('Reden'),
    enabled: fc.boolean(),
    when: fc.record(
      {
        recipients: subset(RECIPIENT_KINDS),
        purposes: subset(PURPOSES),
        ageAtLeast: fc.integer({ min: 10, max: 20 }),
        ageBelow: fc.integer({ min: 21, max: 25 }),
        consent: fc.record({
          jgz: fc.constantFrom(
            'given' as const,
            'not_given' as const,
            'absent' as const,
            'withdrawn' as const,
          ),
        }),
        categoriesAny: subset(SOME_CATEGORIES),
        validFrom: fc.constantFrom('2025-09-01', '2026-02-01'),
      },
      { requiredKeys: [] },
    ),
    fields: fc.option(subset(FIELDS), { nil: undefined }),
  },
  { requiredKeys: ['effect', 'reason', 'enabled', 'when'] },
);

const policyArb: fc.Arbitrary<Policy> = fc.array(ruleArb, { maxLength: 8 }).map((rules) => ({
  id: 'random',
  version: '1',
  effectiveFrom: '2025-08-01',
  recipients: Object.fromEntries(RECIPIENT_KINDS.map((k) => [k, { name: k }])),
  purposes: Object.fromEntries(
    PURPOSES.map((p) => [p, { description: p, basis: 'legal_obligation' as const, legalBasis: 'wet' }]),
  ),
  dataCategories: { all: FIELDS },
  rules: rules.map((rule, i) => ({
    ...rule,
    id: `r${i}`,
    // A permit always names its fields (the schema requires it).
    ...(rule.effect === 'permit' && rule.fields === undefined ? { fields: ['pupil.name'] } : {}),
  })),
  retention: { default: 'P1Y', categories: {} },
  invariants: [],
}));

const requestArb: fc.Arbitrary<DisclosureRequest> = fc.record(
  {
    recipient: fc.record({ kind: fc.constantFrom(...RECIPIENT_KINDS) }),
    purpose: fc.constantFrom(...PURPOSES, 'OTHER'),
    pupil: fc.record(
      {
        ageAtDate: fc.integer({ min: 4, max: 30 }),
        consent: fc.record({ jgz: fc.boolean() }, { requiredKeys: [] }),
      },
      { requiredKeys: ['ageAtDate'] },
    ),
    categories: fc.subarray([...CATEGORIES]),
    payload: fc
      .subarray([...FIELDS, 'pupil.shoeSize', 'x.y'])
      .map((fields) => Object.fromEntries(fields.map((f) => [f, f]))),
  },
  { requiredKeys: ['recipient', 'purpose', 'pupil', 'payload'] },
);

/** An independent, naive reading of the rules: which rules match a request, without the engine's index. */
function matching(policy: Policy, r: DisclosureRequest, atMs: number): PolicyRule[] {
  return policy.rules.filter((rule) => {
    const w = rule.when;
    if (!rule.enabled) return false;
    if (w.recipients && !w.recipients.includes(r.recipient.kind)) return false;
    // A permit reaches the school only by naming it (ADR 0026).
    if (!w.recipients && rule.effect === 'permit' && r.recipient.kind === 'SCHOOL') return false;
    if (w.purposes && !w.purposes.includes(r.purpose)) return false;
    if (w.ageAtLeast !== undefined && !(r.pupil.ageAtDate >= w.ageAtLeast)) return false;
    if (w.ageBelow !== undefined && !(r.pupil.ageAtDate < w.ageBelow)) return false;
    const jgz = r.pupil.consent?.jgz;
    if (w.consent) {
      const ok = {
        given: jgz === true,
        not_given: jgz !== true,
        absent: jgz === undefined,
        withdrawn: jgz === false,
      }[w.consent.jgz];
      if (!ok) return false;
    }
    if (w.categoriesAny && !(r.categories ?? []).some((c) => w.categoriesAny!.includes(c))) return false;
    if (w.validFrom && atMs < Date.parse(`${w.validFrom}T00:00:00+01:00`)) return false;
    return true;
  });
}

const names = (rule: PolicyRule, field: string): boolean =>
  rule.fields === undefined || rule.fields.includes(field) || rule.fields.includes('*');

describe('decide (properties)', () => {
  it('never releases a field a matching forbid names, and releases exactly what the rules say', () => {
    fc.assert(
      fc.property(policyArb, requestArb, (policy, request) => {
        const d = decide(policy, request, { at: AT });
        const rules = matching(policy, request, Date.parse('2026-01-15T00:00:00+01:00'));
        const forbids = rules.filter((r) => r.effect === 'forbid');
        const permits = rules.filter((r) => r.effect === 'permit');
        for (const field of d.released)
          assert.ok(!forbids.some((f) => names(f, field)), `${field} released past a forbid`);
        const expected = Object.keys(request.payload).filter(
          (field) =>
            (FIELDS as string[]).includes(field) &&
            !forbids.some((f) => names(f, field)) &&
            permits.some((p) => p.fields!.includes(field)),
        );
        expect(d.released).toEqual(expected);
        assert.equal(d.effect, expected.length > 0 ? 'permit' : 'deny');
      }),
      { numRuns: 400 },
    );
  });

  it('splits the requested fields into released and withheld: disjoint, complete, nothing added', () => {
    fc.assert(
      fc.property(policyArb, requestArb, (policy, request) => {
        const d = decide(policy, request, { at: AT });
        const requested = Object.keys(request.payload);
        const withheld = d.withheld.map((w) => w.field);
        expect([...d.released, ...withheld].sort()).toEqual([...requested].sort());
        assert.equal(new Set([...d.released, ...withheld]).size, requested.length);
        for (const field of d.released) assert.ok(requested.includes(field));
        for (const w of d.withheld)
          assert.ok(w.rule.length > 0 && w.reason.length > 0, 'every refusal names a rule');
      }),
      { numRuns: 400 },
    );
  });

  it('is deterministic and decides each field on its own (a sub-payload gets the same answer per field)', () => {
    fc.assert(
      fc.property(policyArb, requestArb, fc.nat(), (policy, request, seed) => {
        const first = decide(policy, request, { at: AT });
        expect(decide(policy, request, { at: AT })).toEqual(first);
        const keys = Object.keys(request.payload).filter((_, i) => (seed >> (i % 30)) & 1);
        const sub = { ...request, payload: Object.fromEntries(keys.map((k) => [k, request.payload[k]])) };
        const partial = decide(policy, sub, { at: AT });
        expect(partial.released).toEqual(first.released.filter((f) => keys.includes(f)));
      }),
      { numRuns: 300 },
    );
  });
});
