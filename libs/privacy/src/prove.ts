import { STATUTORY_INVARIANTS, STATUTORY_INVARIANT_IDS, type StatutoryInvariant } from './floor.js';
import { verifyInvariants } from './invariants.js';
import type { InvariantCounterexample, InvariantResult, Policy } from './policy.types.js';
import { POLICY_ERRORS } from './policy-error-codes.js';

/** Where a proven invariant comes from: the statutory floor (with the engine) or the policy itself. */
export type InvariantSource = 'floor' | 'policy';

export interface ProvenInvariant extends InvariantResult {
  readonly source: InvariantSource;
  /** Floor only: the ground in Dutch, and whether it is confirmed (false: UNCONFIRMED, still holds). */
  readonly ground?: string;
  readonly groundConfirmed?: boolean;
}

/** One invariant that does not hold, as a privacy officer reads it (Dutch) and as a program reads it (codes). */
export interface ProofFailure {
  /** Always `INVARIANT_VIOLATED`. */
  readonly code: typeof POLICY_ERRORS.INVARIANT_VIOLATED;
  readonly invariant: string;
  readonly source: InvariantSource;
  /** Dutch: which invariant, which field to whom, released by which rule. */
  readonly message: string;
  readonly violations: number;
  readonly counterexample: InvariantCounterexample;
}

/** The exhaustive proof of a policy against the statutory floor and its own invariants. */
export interface PolicyProof {
  readonly policy: { readonly id: string; readonly version: string };
  readonly holds: boolean;
  readonly combinationsChecked: number;
  readonly invariants: readonly ProvenInvariant[];
  /** The invariants that fail, each with one counterexample (empty when `holds`). */
  readonly failing: readonly ProofFailure[];
}

/**
 * Proves a policy: every statutory invariant (whatever the policy declares; it cannot remove, weaken or
 * disable them) and every invariant the policy adds, over the whole finite domain (`verifyInvariants`).
 * An invariant the policy declares under a floor id is the floor's: the floor's own definition is proven
 * (a board cannot redefine, and so weaken, a statutory invariant; to demand more it adds one of its own).
 */
export function provePolicy(policy: Policy): PolicyProof {
  const floor: readonly StatutoryInvariant[] = STATUTORY_INVARIANTS;
  const own = policy.invariants.filter((inv) => !STATUTORY_INVARIANT_IDS.has(inv.id));
  const results = verifyInvariants(policy, [...floor, ...own]);
  const invariants: ProvenInvariant[] = results.map((result, i) =>
    i < floor.length
      ? {
          ...result,
          source: 'floor',
          ground: floor[i].ground,
          groundConfirmed: floor[i].groundConfirmed,
        }
      : { ...result, source: 'policy' },
  );
  const failing: ProofFailure[] = invariants
    .filter((inv) => !inv.holds && inv.counterexample)
    .map((inv) => ({
      code: POLICY_ERRORS.INVARIANT_VIOLATED,
      invariant: inv.id,
      source: inv.source,
      message: failureMessage(inv),
      violations: inv.violations,
      counterexample: inv.counterexample!,
    }));
  return {
    policy: { id: policy.id, version: policy.version },
    holds: invariants.every((inv) => inv.holds),
    combinationsChecked: invariants[0]?.combinationsChecked ?? 0,
    invariants,
    failing,
  };
}

/** Dutch, for the privacy officer: the invariant, and one request that breaks it. */
export function failureMessage(inv: ProvenInvariant): string {
  const c = inv.counterexample;
  const what = inv.source === 'floor' ? 'Wettelijke invariant' : 'Invariant';
  if (!c) return `${what} ${inv.id} houdt geen stand: ${inv.description}.`;
  const r = c.request;
  const parts = [
    `doel ${r.purpose}`,
    ...(r.reportKind ? [`meldingsoort ${r.reportKind}`] : []),
    `leeftijd ${r.pupil.ageAtDate}`,
    ...(r.categories?.length ? [`categorie ${r.categories.join(', ')}`] : []),
    r.pupil.consent?.jgz === undefined
      ? 'geen toestemming vastgelegd'
      : r.pupil.consent.jgz
        ? 'toestemming gegeven'
        : 'toestemming ingetrokken',
  ];
  return `${what} ${inv.id} houdt geen stand (${inv.description}): het veld ${c.field} gaat naar ${r.recipient.kind} (${parts.join('; ')}) via regel ${c.releasedBy}, in ${inv.violations} combinaties.`;
}
