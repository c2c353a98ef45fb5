import { CATEGORIES, type DisclosureRequest, DomainError, RECIPIENT_KINDS, REPORT_KINDS } from '#domain';
import {
  type Context,
  FIELDS,
  FIELD_INDEX,
  compile,
  evaluate,
  releasedBy,
  resolveFields,
} from './compile.js';
import { decide } from './decide.js';
import type { InvariantResult, Policy, PolicyInvariant } from './policy.types.js';
import { instantOf } from './time.js';
import { POLICY_ERRORS } from './policy-error-codes.js';

/** A purpose no rule names: stands for every undeclared purpose a request may carry. */
export const UNDECLARED_PURPOSE = 'UNDECLARED_PURPOSE';
/** A field path outside the vocabulary: stands for every unknown field a payload may carry. */
export const UNKNOWN_FIELD_PATH = 'unknown.field';

/** The finite domain `verifyInvariants` walks; exported so tests and the README can show it. */
export interface InvariantDomain {
  readonly recipients: readonly string[];
  readonly purposes: readonly string[];
  readonly reportKinds: readonly (string | undefined)[];
  readonly categorySets: readonly (readonly string[])[];
  readonly ages: readonly number[];
  readonly consents: readonly (boolean | undefined)[];
  readonly instants: readonly number[];
  readonly fields: readonly string[];
}

/**
 * Every value the engine can tell apart, one representative per class:
 * - categories: none, each single category, each pair. Category conditions are "any of", so permits and
 *   forbids only grow with the set; a violation on a larger set already shows on the pair of the category
 *   that triggers the invariant and the one that triggers the permit (and forbids on the pair ⊆ forbids on
 *   the set).
 * - ages: one per band between the boundaries the rules mention (conditions are age >= n and age < n).
 * - instants: just before the first boundary and each boundary (validity is [from, until)).
 * - purposes and fields: every declared one plus one undeclared / unknown representative.
 */
export function invariantDomain(policy: Policy): InvariantDomain {
  const rules = policy.rules.filter((r) => r.enabled);
  const ageBounds = new Set<number>();
  const timeBounds = new Set<number>([instantOf(policy.effectiveFrom)]);
  if (policy.effectiveUntil !== undefined) timeBounds.add(instantOf(policy.effectiveUntil));
  for (const { when } of rules) {
    if (when.ageAtLeast !== undefined) ageBounds.add(when.ageAtLeast);
    if (when.ageBelow !== undefined) ageBounds.add(when.ageBelow);
    if (when.validFrom !== undefined) timeBounds.add(instantOf(when.validFrom));
    if (when.validUntil !== undefined) timeBounds.add(instantOf(when.validUntil));
  }
  const bounds = [...ageBounds].sort((a, b) => a - b);
  const ages = bounds.length === 0 ? [10] : [bounds[0] - 1, ...bounds];
  const times = [...timeBounds].sort((a, b) => a - b);
  const purposes = new Set<string>(Object.keys(policy.purposes));
  for (const { when } of rules) for (const p of when.purposes ?? []) purposes.add(p);
  const categorySets: string[][] = [[]];
  for (const a of CATEGORIES) categorySets.push([a]);
  for (let i = 0; i < CATEGORIES.length; i++)
    for (let j = i + 1; j < CATEGORIES.length; j++) categorySets.push([CATEGORIES[i], CATEGORIES[j]]);
  return {
    recipients: RECIPIENT_KINDS,
    purposes: [...purposes, UNDECLARED_PURPOSE],
    reportKinds: [...REPORT_KINDS, undefined],
    categorySets,
    ages,
    consents: [undefined, true, false],
    instants: [times[0] - 1, ...times],
    fields: [...FIELDS, UNKNOWN_FIELD_PATH],
  };
}

interface CompiledInvariant {
  readonly invariant: PolicyInvariant;
  readonly recipients: ReadonlySet<string> | null;
  readonly recipientsExcept: ReadonlySet<string> | null;
  readonly purposes: ReadonlySet<string> | null;
  readonly categories: ReadonlySet<string> | null;
  /** Indices into the domain's field list (the unknown field included when `fields` is absent). */
  readonly fieldIdx: readonly number[];
  violations: number;
  counterexample: { ctx: Context; field: string; rule: number } | null;
}

/**
 * Proves each invariant of the policy by checking every combination of the finite domain (see
 * `invariantDomain`): recipient × purpose × report kind × categories × age band × consent × moment × field.
 * Each field is decided on its own in the engine (a field's fate never depends on the other fields), so one
 * evaluation per request context decides every field of it. `toProve` defaults to the policy's own invariants;
 * `provePolicy` passes the statutory floor as well.
 */
export function verifyInvariants(
  policy: Policy,
  toProve: readonly PolicyInvariant[] = policy.invariants,
): InvariantResult[] {
  const c = compile(policy);
  const domain = invariantDomain(policy);
  const fieldCount = domain.fields.length;
  const invariants: CompiledInvariant[] = toProve.map((invariant) => {
    const n = invariant.never;
    return {
      invariant,
      recipients: n.recipients ? new Set(n.recipients) : null,
      recipientsExcept: n.recipientsExcept ? new Set(n.recipientsExcept) : null,
      purposes: n.purposes ? new Set(n.purposes) : null,
      categories: n.categories ? new Set(n.categories) : null,
      fieldIdx: n.fields ? resolveFields(policy, n.fields) : domain.fields.map((_, i) => i),
      violations: 0,
      counterexample: null,
    };
  });
  const ctx: Context = {
    kind: '',
    purpose: '',
    reportKind: undefined,
    age: 0,
    consent: undefined,
    categories: [],
    atMs: 0,
  };
  let contexts = 0;
  for (const kind of domain.recipients) {
    ctx.kind = kind;
    const forKind = invariants.filter(
      (inv) =>
        (inv.recipients === null || inv.recipients.has(kind)) &&
        (inv.recipientsExcept === null || !inv.recipientsExcept.has(kind)),
    );
    for (const purpose of domain.purposes) {
      ctx.purpose = purpose;
      const forPurpose = forKind.filter((inv) => inv.purposes === null || inv.purposes.has(purpose));
      for (const reportKind of domain.reportKinds) {
        ctx.reportKind = reportKind;
        for (const categories of domain.categorySets) {
          ctx.categories = categories;
          const forCategories = forPurpose.filter(
            (inv) => inv.categories === null || categories.some((cat) => inv.categories!.has(cat)),
          );
          for (const age of domain.ages) {
            ctx.age = age;
            for (const consent of domain.consents) {
              ctx.consent = consent;
              const applicable = forCategories.filter(
                (inv) => !(inv.invariant.never.unlessConsent === 'jgz' && consent === true),
              );
              for (const atMs of domain.instants) {
                ctx.atMs = atMs;
                contexts++;
                if (applicable.length === 0) continue;
                const evaluation = evaluate(c, ctx);
                for (const inv of applicable)
                  for (const f of inv.fieldIdx) {
                    const rule = releasedBy(c, evaluation, FIELD_INDEX.get(domain.fields[f]));
                    if (rule < 0) continue;
                    inv.violations++;
                    inv.counterexample ??= { ctx: { ...ctx }, field: domain.fields[f], rule };
                  }
              }
            }
          }
        }
      }
    }
  }
  const combinationsChecked = contexts * fieldCount;
  return invariants.map((inv) => {
    const base = {
      id: inv.invariant.id,
      description: inv.invariant.description,
      holds: inv.violations === 0,
      combinationsChecked,
      violations: inv.violations,
    };
    if (!inv.counterexample) return base;
    const { ctx: found, field, rule } = inv.counterexample;
    const request = requestOf(found, field);
    const at = new Date(found.atMs).toISOString();
    // The counterexample must convince: the public decide releases the field for that very request.
    if (!decide(policy, request, { at }).released.includes(field))
      throw new DomainError(
        POLICY_ERRORS.INVARIANT_CHECK_INCONSISTENT,
        'internal',
        `decide disagrees with the proof on ${inv.invariant.id}`,
      );
    return { ...base, counterexample: { request, at, field, releasedBy: c.rules[rule].rule.id } };
  });
}

function requestOf(ctx: Context, field: string): DisclosureRequest {
  return {
    recipient: { kind: ctx.kind as DisclosureRequest['recipient']['kind'] },
    purpose: ctx.purpose,
    ...(ctx.reportKind === undefined
      ? {}
      : { reportKind: ctx.reportKind as DisclosureRequest['reportKind'] }),
    pupil: { ageAtDate: ctx.age, ...(ctx.consent === undefined ? {} : { consent: { jgz: ctx.consent } }) },
    ...(ctx.categories.length === 0 ? {} : { categories: [...ctx.categories] }),
    payload: { [field]: '…' },
  };
}
