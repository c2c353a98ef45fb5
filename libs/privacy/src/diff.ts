import type { DomainChangeResult, DomainDiffResult } from '#domain';
import { type Context, FIELDS, compile, evaluate, releasedBy } from './compile.js';
import { invariantDomain } from './invariants.js';
import type { Policy } from './policy.types.js';
import { instantOf } from './time.js';

/**
 * One combination of the domain where the two policies release a different set of fields, and the whole diff:
 * the shapes the application's port declares (`#domain`), so the engine and its callers speak one type.
 */
export type DomainChange = DomainChangeResult;
export type DomainDiff = DomainDiffResult;

/**
 * What a draft would decide differently from the policy in force, over the whole finite domain of the
 * proof (not only over requests that were made): every recipient × purpose × report kind × categories ×
 * age band × consent state, at every moment either policy distinguishes from `fromMs` on. The baseline is
 * asked at the same moment; the draft from its own first day (as if in force). Pure.
 */
export function diffPolicies(
  baseline: Policy,
  draft: Policy,
  options: { readonly fromMs: number; readonly limit?: number },
): DomainDiff {
  const limit = options.limit ?? 50;
  const a = compile(baseline);
  const b = compile(draft);
  const da = invariantDomain(baseline);
  const db = invariantDomain(draft);
  const purposes = [...new Set([...da.purposes, ...db.purposes])];
  const ages = [...new Set([...da.ages, ...db.ages])].sort((x, y) => x - y);
  const bounds = ages.slice(1);
  const draftFrom = instantOf(draft.effectiveFrom);
  const instants = [
    ...new Set(
      [options.fromMs, ...da.instants, ...db.instants].filter(
        (t) => Number.isFinite(t) && t >= options.fromMs,
      ),
    ),
  ].sort((x, y) => x - y);
  const fieldCount = FIELDS.length;
  const newlyReleased: Record<string, Record<string, number>> = {};
  const newlyWithheld: Record<string, Record<string, number>> = {};
  const examples: DomainChange[] = [];
  let checked = 0;
  let changed = 0;
  const ctxA: Context = {
    kind: '',
    purpose: '',
    reportKind: undefined,
    age: 0,
    consent: undefined,
    categories: [],
    atMs: 0,
  };
  for (const kind of da.recipients) {
    ctxA.kind = kind;
    for (const purpose of purposes) {
      ctxA.purpose = purpose;
      for (const reportKind of da.reportKinds) {
        ctxA.reportKind = reportKind;
        for (const categories of da.categorySets) {
          ctxA.categories = categories;
          for (const age of ages) {
            ctxA.age = age;
            for (const consent of da.consents) {
              ctxA.consent = consent;
              for (const atMs of instants) {
                checked++;
                ctxA.atMs = atMs;
                const ea = evaluate(a, ctxA);
                const eb = evaluate(b, { ...ctxA, atMs: Math.max(atMs, draftFrom) });
                let added: string[] | null = null;
                let removed: string[] | null = null;
                for (let f = 0; f < fieldCount; f++) {
                  const before = releasedBy(a, ea, f) >= 0;
                  const after = releasedBy(b, eb, f) >= 0;
                  if (before === after) continue;
                  if (after) (added ??= []).push(FIELDS[f]);
                  else (removed ??= []).push(FIELDS[f]);
                }
                if (added === null && removed === null) continue;
                changed++;
                for (const f of added ?? []) bump(newlyReleased, kind, f);
                for (const f of removed ?? []) bump(newlyWithheld, kind, f);
                if (examples.length < limit)
                  examples.push({
                    recipient: kind,
                    purpose,
                    reportKind: reportKind ?? null,
                    ageBand: bandOf(age, bounds),
                    consent: consent === undefined ? 'absent' : consent ? 'given' : 'withdrawn',
                    categories: [...categories],
                    at: new Date(atMs).toISOString(),
                    newlyReleased: added ?? [],
                    newlyWithheld: removed ?? [],
                  });
              }
            }
          }
        }
      }
    }
  }
  return {
    combinationsChecked: checked * fieldCount,
    combinationsChanged: changed,
    newlyReleased,
    newlyWithheld,
    examples,
    truncated: changed > examples.length,
  };
}

function bump(into: Record<string, Record<string, number>>, kind: string, field: string): void {
  const byField = (into[kind] ??= {});
  byField[field] = (byField[field] ?? 0) + 1;
}

function bandOf(age: number, bounds: readonly number[]): string {
  const upper = bounds.find((b) => age < b);
  const lower = [...bounds].reverse().find((b) => age >= b);
  if (lower === undefined && upper === undefined) return 'elke leeftijd';
  if (lower === undefined) return `< ${upper}`;
  if (upper === undefined) return `>= ${lower}`;
  return `>= ${lower} and < ${upper}`;
}
