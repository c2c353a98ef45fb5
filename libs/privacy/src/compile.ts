import { DISCLOSURE_FIELD_PATHS, RECIPIENT_KINDS, REPORT_FIELD_PATHS, type Obligation } from '#domain';
import {
  type ConsentCondition,
  NO_REPORT_KIND,
  type Policy,
  type PolicyRule,
  type RuleObligations,
} from './policy.types.js';
import { durationMs, instantOf } from './time.js';

/**
 * The fields the engine knows (the report vocabulary, then the feedback vocabulary of ADR 0026); anything else in
 * a payload is withheld (default deny), never released.
 */
export const FIELDS: readonly string[] = DISCLOSURE_FIELD_PATHS;
export const FIELD_INDEX: ReadonlyMap<string, number> = new Map(FIELDS.map((f, i) => [f, i]));

/**
 * Recipients a permit reaches only by naming them: a permit without `recipients` does not release anything to
 * the school, so a policy written before SCHOOL existed releases the same as before and keeps its proof
 * (ADR 0026). Forbids without `recipients` apply to every recipient, these included.
 */
export const NAMED_RECIPIENTS_ONLY: ReadonlySet<string> = new Set(['SCHOOL']);

/** What the engine looks at in a request: every dimension `verifyInvariants` enumerates. */
export interface Context {
  kind: string;
  purpose: string;
  reportKind: string | undefined;
  age: number;
  consent: boolean | undefined;
  categories: readonly string[];
  atMs: number;
}

export interface CompiledRule {
  readonly index: number;
  readonly rule: PolicyRule;
  readonly forbid: boolean;
  /** A forbid without fields: the whole request. */
  readonly wholeRequest: boolean;
  readonly reportKinds: ReadonlySet<string> | null;
  readonly ageAtLeast: number;
  readonly ageBelow: number;
  readonly consent: ConsentCondition | null;
  readonly categories: ReadonlySet<string> | null;
  readonly fromMs: number;
  readonly untilMs: number;
  readonly fieldIdx: readonly number[];
  readonly obligations: readonly Obligation[];
}

export interface CompiledPolicy {
  readonly policy: Policy;
  readonly fromMs: number;
  readonly untilMs: number;
  /** Enabled rules in policy order. */
  readonly rules: readonly CompiledRule[];
  /** recipient kind → purpose (or ANY) → candidate rules in policy order. */
  readonly buckets: ReadonlyMap<string, ReadonlyMap<string, readonly CompiledRule[]>>;
  // Scratch space of `evaluate` (decisions are synchronous, so one set per policy is enough).
  readonly permitBy: Int16Array;
  readonly forbidBy: Int16Array;
  readonly matched: number[];
}

const ANY = '\u0000any';
const cache = new WeakMap<Policy, CompiledPolicy>();

/** Compiles once per policy object: rules indexed by recipient and purpose, fields as indices. */
export function compile(policy: Policy): CompiledPolicy {
  const cached = cache.get(policy);
  if (cached) return cached;
  const rules = policy.rules
    .filter((rule) => rule.enabled)
    .map((rule, index) => compileRule(policy, rule, index));
  const purposeNames = new Set<string>(Object.keys(policy.purposes));
  for (const rule of rules) for (const p of rule.rule.when.purposes ?? []) purposeNames.add(p);
  const buckets = new Map<string, Map<string, CompiledRule[]>>();
  for (const kind of RECIPIENT_KINDS) {
    const byPurpose = new Map<string, CompiledRule[]>();
    const forKind = rules.filter(
      (r) => r.rule.when.recipients?.includes(kind) ?? (r.forbid || !NAMED_RECIPIENTS_ONLY.has(kind)),
    );
    for (const purpose of purposeNames)
      byPurpose.set(
        purpose,
        forKind.filter((r) => r.rule.when.purposes?.includes(purpose) ?? true),
      );
    byPurpose.set(
      ANY,
      forKind.filter((r) => r.rule.when.purposes === undefined),
    );
    buckets.set(kind, byPurpose);
  }
  const compiled: CompiledPolicy = {
    policy,
    fromMs: instantOf(policy.effectiveFrom),
    untilMs: policy.effectiveUntil === undefined ? Infinity : instantOf(policy.effectiveUntil),
    rules,
    buckets,
    permitBy: new Int16Array(FIELDS.length),
    forbidBy: new Int16Array(FIELDS.length),
    matched: [],
  };
  cache.set(policy, compiled);
  return compiled;
}

function compileRule(policy: Policy, rule: PolicyRule, index: number): CompiledRule {
  const w = rule.when;
  return {
    index,
    rule,
    forbid: rule.effect === 'forbid',
    wholeRequest: rule.effect === 'forbid' && rule.fields === undefined,
    reportKinds: w.reportKinds ? new Set(w.reportKinds) : null,
    ageAtLeast: w.ageAtLeast ?? -Infinity,
    ageBelow: w.ageBelow ?? Infinity,
    consent: w.consent?.jgz ?? null,
    categories: w.categoriesAny ? new Set(w.categoriesAny) : null,
    fromMs: w.validFrom === undefined ? -Infinity : instantOf(w.validFrom),
    untilMs: w.validUntil === undefined ? Infinity : instantOf(w.validUntil),
    fieldIdx: resolveFields(policy, rule.fields ?? []),
    obligations: obligationsOf(rule.id, rule.obligations),
  };
}

/** Data category names and field paths → sorted unique field indices; `*` is every field. */
export function resolveFields(policy: Policy, refs: readonly string[]): number[] {
  const out = new Set<number>();
  for (const ref of refs) {
    // `*` is the report vocabulary: feedback and officer paths are released only where a rule names them, so a
    // policy written before they existed releases none of them (ADR 0026).
    if (ref === '*') REPORT_FIELD_PATHS.forEach((path) => out.add(FIELD_INDEX.get(path)!));
    const paths = ref.includes('.') ? [ref] : (policy.dataCategories[ref] ?? []);
    for (const path of paths) {
      const i = FIELD_INDEX.get(path);
      if (i !== undefined) out.add(i);
    }
  }
  return [...out].sort((a, b) => a - b);
}

function obligationsOf(rule: string, o: RuleObligations | undefined): Obligation[] {
  if (!o) return [];
  const out: Obligation[] = [];
  if (o.retention !== undefined) out.push({ kind: 'retention', period: o.retention, rules: [rule] });
  if (o.notifyParentWithinDays !== undefined)
    out.push({ kind: 'notify_parent', withinDays: o.notifyParentWithinDays, rules: [rule] });
  if (o.notifyPupilWithinDays !== undefined)
    out.push({ kind: 'notify_pupil', withinDays: o.notifyPupilWithinDays, rules: [rule] });
  if (o.log) out.push({ kind: 'log', rules: [rule] });
  return out;
}

/** The rules that can apply to a recipient kind and purpose, in policy order. */
export function candidates(c: CompiledPolicy, kind: string, purpose: string): readonly CompiledRule[] {
  const byPurpose = c.buckets.get(kind);
  if (!byPurpose) return [];
  return byPurpose.get(purpose) ?? byPurpose.get(ANY) ?? [];
}

export function matchesConsent(condition: ConsentCondition, jgz: boolean | undefined): boolean {
  switch (condition) {
    case 'given':
      return jgz === true;
    case 'not_given':
      return jgz !== true;
    case 'absent':
      return jgz === undefined;
    case 'withdrawn':
      return jgz === false;
  }
}

/** Whether a candidate rule's remaining conditions hold (recipient and purpose were settled by the index). */
export function matches(rule: CompiledRule, ctx: Context): boolean {
  if (ctx.atMs < rule.fromMs || ctx.atMs >= rule.untilMs) return false;
  if (!(ctx.age >= rule.ageAtLeast && ctx.age < rule.ageBelow)) return false;
  if (rule.reportKinds !== null && !rule.reportKinds.has(ctx.reportKind ?? NO_REPORT_KIND)) return false;
  if (rule.consent !== null && !matchesConsent(rule.consent, ctx.consent)) return false;
  if (rule.categories !== null) {
    let any = false;
    for (const category of ctx.categories)
      if (rule.categories.has(category)) {
        any = true;
        break;
      }
    if (!any) return false;
  }
  return true;
}

export interface Evaluation {
  /** The policy version is in force at ctx.atMs. */
  readonly effective: boolean;
  /** Index of the first matching whole-request forbid, or -1. */
  readonly wholeForbid: number;
}

/**
 * The engine's core, shared by `decide` and `verifyInvariants`: after it, `c.permitBy[f]` / `c.forbidBy[f]`
 * hold the index of the first matching permit / forbid rule naming field f (or -1), and `c.matched` the
 * indices of every matching rule. A field is released iff the policy is effective, no whole-request forbid
 * matched, no forbid names it and a permit does: default deny, forbid beats permit. Whether a field is
 * released depends on the context and that field only, never on the other fields of the payload.
 */
export function evaluate(c: CompiledPolicy, ctx: Context): Evaluation {
  c.permitBy.fill(-1);
  c.forbidBy.fill(-1);
  c.matched.length = 0;
  if (!(ctx.atMs >= c.fromMs && ctx.atMs < c.untilMs)) return { effective: false, wholeForbid: -1 };
  let wholeForbid = -1;
  const rules = candidates(c, ctx.kind, ctx.purpose);
  for (let r = 0; r < rules.length; r++) {
    const rule = rules[r];
    if (!matches(rule, ctx)) continue;
    c.matched.push(rule.index);
    if (rule.wholeRequest) {
      if (wholeForbid < 0) wholeForbid = rule.index;
      continue;
    }
    const by = rule.forbid ? c.forbidBy : c.permitBy;
    const idx = rule.fieldIdx;
    for (let i = 0; i < idx.length; i++) if (by[idx[i]] < 0) by[idx[i]] = rule.index;
  }
  return { effective: true, wholeForbid };
}

/** The rule index that releases field `f` after `evaluate`, or -1 when it is withheld. */
export function releasedBy(c: CompiledPolicy, e: Evaluation, f: number | undefined): number {
  if (f === undefined || !e.effective || e.wholeForbid >= 0) return -1;
  return c.forbidBy[f] >= 0 ? -1 : c.permitBy[f];
}

/** Merges obligations of the same kind: the shortest retention and notification term wins. */
export function mergeObligations(lists: readonly (readonly Obligation[])[]): Obligation[] {
  const byKind = new Map<string, Obligation>();
  for (const list of lists)
    for (const o of list) {
      const prior = byKind.get(o.kind);
      if (!prior) {
        byKind.set(o.kind, o);
        continue;
      }
      const rules = [...(prior['rules'] as string[]), ...(o['rules'] as string[])];
      let keep = prior;
      if (o.kind === 'retention' && durationMs(o['period'] as string) < durationMs(prior['period'] as string))
        keep = o;
      if (
        (o.kind === 'notify_parent' || o.kind === 'notify_pupil') &&
        (o['withinDays'] as number) < (prior['withinDays'] as number)
      )
        keep = o;
      byKind.set(o.kind, { ...keep, rules });
    }
  const order = ['retention', 'notify_parent', 'notify_pupil', 'log'];
  return [...byKind.values()].sort((a, b) => order.indexOf(a.kind) - order.indexOf(b.kind));
}
