import type { Decision, DisclosureRequest, Obligation, WithheldField } from '#domain';
import {
  type CompiledPolicy,
  type Context,
  FIELD_INDEX,
  compile,
  evaluate,
  mergeObligations,
  releasedBy,
} from './compile.js';
import {
  DEFAULT_DENY,
  type LegalGround,
  POLICY_NOT_EFFECTIVE,
  type Policy,
  UNKNOWN_FIELD,
} from './policy.types.js';
import { dutchDate, instantOf, requireInstant } from './time.js';

export interface DecideOptions {
  /** The moment the disclosure would happen; the engine has no clock of its own. */
  readonly at: Date | string;
}

export function contextOf(request: DisclosureRequest, atMs: number): Context {
  return {
    kind: request.recipient.kind,
    purpose: request.purpose,
    reportKind: request.reportKind,
    age: request.pupil.ageAtDate,
    consent: request.pupil.consent?.jgz,
    categories: request.categories ?? [],
    atMs,
  };
}

/**
 * Decides which fields of `request.payload` may go to the recipient for the purpose: default deny, a forbid
 * beats a permit, every withheld field names the rule (or `default-deny`) and a reason, the explanation is
 * plain Dutch. Pure and deterministic: the same policy, request and `at` give the same decision.
 */
export function decide(policy: Policy, request: DisclosureRequest, options: DecideOptions): Decision {
  const atMs = requireInstant(options.at, 'at');
  const c = compile(policy);
  const ctx = contextOf(request, atMs);
  const evaluation = evaluate(c, ctx);
  const fields = Object.keys(request.payload);
  const ref = { id: policy.id, version: policy.version };

  if (!evaluation.effective) {
    const reason = notEffectiveReason(policy, atMs);
    return {
      effect: 'deny',
      released: [],
      withheld: fields.map((field) => ({ field, rule: POLICY_NOT_EFFECTIVE, reason })),
      obligations: [],
      determinedBy: [POLICY_NOT_EFFECTIVE],
      explanation: `${reason} Er worden geen gegevens verstrekt.`,
      policy: ref,
    };
  }

  const recipient = policy.recipients[request.recipient.kind]?.name ?? request.recipient.kind;
  const purpose = policy.purposes[request.purpose]?.description ?? `het doel ${request.purpose}`;
  const released: string[] = [];
  const withheld: WithheldField[] = [];
  const contributing = new Set<number>();
  const defaultReason = `Geen regel staat verstrekking van dit gegeven aan ${recipient} voor ${purpose} toe.`;
  const unknownReason =
    'Onbekend gegeven: het staat niet in het gegevenswoordenboek en wordt nooit verstrekt.';

  for (const field of fields) {
    const f = FIELD_INDEX.get(field);
    if (f === undefined) {
      withheld.push({ field, rule: UNKNOWN_FIELD, reason: unknownReason });
      continue;
    }
    const by = releasedBy(c, evaluation, f);
    if (by >= 0) {
      released.push(field);
      contributing.add(by);
      // Every matching permit that names a released field shares in the decision and its obligations.
      for (const m of c.matched) {
        const rule = c.rules[m];
        if (!rule.forbid && rule.fieldIdx.includes(f)) contributing.add(m);
      }
      continue;
    }
    const forbidder = evaluation.wholeForbid >= 0 ? evaluation.wholeForbid : c.forbidBy[f];
    if (forbidder >= 0) {
      const rule = c.rules[forbidder].rule;
      withheld.push({ field, rule: rule.id, reason: rule.reason });
      contributing.add(forbidder);
    } else {
      withheld.push({ field, rule: DEFAULT_DENY, reason: defaultReason });
    }
  }

  const effect = released.length > 0 ? 'permit' : 'deny';
  const determinedBy = [...contributing].sort((a, b) => a - b).map((i) => c.rules[i].rule.id);
  if (determinedBy.length === 0) determinedBy.push(DEFAULT_DENY);
  const obligations: Obligation[] =
    effect === 'permit'
      ? mergeObligations(
          [...contributing]
            .sort((a, b) => a - b)
            .filter((i) => !c.rules[i].forbid)
            .map((i) => c.rules[i].obligations),
        )
      : [];
  return {
    effect,
    released,
    withheld,
    obligations,
    determinedBy,
    explanation: explain(c, request, {
      recipient,
      purpose,
      released,
      withheld,
      obligations,
      contributing,
      evaluation,
    }),
    policy: ref,
  };
}

function notEffectiveReason(policy: Policy, atMs: number): string {
  const from = dutchDate(instantOf(policy.effectiveFrom));
  const until =
    policy.effectiveUntil === undefined ? '' : ` tot ${dutchDate(instantOf(policy.effectiveUntil))}`;
  return `Beleid ${policy.id} versie ${policy.version} is op ${dutchDate(atMs)} niet van kracht (het geldt vanaf ${from}${until}).`;
}

const GROUND_NL: Record<LegalGround, string> = {
  legal_obligation: 'wettelijke verplichting',
  public_task: 'taak van algemeen belang',
  consent: 'toestemming',
  vital_interest: 'vitaal belang',
  contract: 'overeenkomst',
  legitimate_interest: 'gerechtvaardigd belang',
};

const sentence = (text: string): string => text.trim().replace(/[.!]+$/, '');

interface ExplainInput {
  readonly recipient: string;
  readonly purpose: string;
  readonly released: readonly string[];
  readonly withheld: readonly WithheldField[];
  readonly obligations: readonly Obligation[];
  readonly contributing: ReadonlySet<number>;
  readonly evaluation: { readonly wholeForbid: number };
}

function explain(c: CompiledPolicy, request: DisclosureRequest, x: ExplainInput): string {
  const parts: string[] = [];
  const to = `Aan ${x.recipient} voor ${x.purpose}`;
  if (x.released.length > 0) {
    const def = c.policy.purposes[request.purpose];
    const basis = def ? ` op grond van ${sentence(def.legalBasis)} (${GROUND_NL[def.basis]})` : '';
    const permits = [...x.contributing]
      .sort((a, b) => a - b)
      .map((i) => c.rules[i])
      .filter((r) => !r.forbid)
      .map((r) => `${r.rule.id}: ${sentence(r.rule.reason)}`);
    const count = x.released.length === 1 ? 'mag 1 gegeven' : `mogen ${x.released.length} gegevens`;
    parts.push(`${to} ${count} worden verstrekt${basis}, volgens regel ${permits.join('; regel ')}.`);
    parts.push(`Verstrekt: ${x.released.join(', ')}.`);
  } else if (x.evaluation.wholeForbid >= 0) {
    const rule = c.rules[x.evaluation.wholeForbid].rule;
    parts.push(
      `${to} worden geen gegevens verstrekt: regel ${rule.id} verbiedt dit (${sentence(rule.reason)}).`,
    );
  } else if (x.withheld.every((w) => w.rule === DEFAULT_DENY || w.rule === UNKNOWN_FIELD)) {
    parts.push(
      `${to} worden geen gegevens verstrekt: geen enkele regel van het beleid staat dit toe (standaard geweigerd).`,
    );
  } else {
    parts.push(`${to} worden geen gegevens verstrekt.`);
  }
  if (x.withheld.length > 0 && !(x.released.length === 0 && x.evaluation.wholeForbid >= 0)) {
    const groups = new Map<string, { reason: string; fields: string[] }>();
    for (const w of x.withheld) {
      const group = groups.get(w.rule) ?? { reason: w.reason, fields: [] };
      group.fields.push(w.field);
      groups.set(w.rule, group);
    }
    const text = [...groups.entries()].map(([rule, g]) => {
      const why =
        rule === DEFAULT_DENY
          ? 'geen regel staat dit toe'
          : rule === UNKNOWN_FIELD
            ? 'onbekend gegeven, wordt nooit verstrekt'
            : `regel ${rule}: ${sentence(g.reason).charAt(0).toLowerCase()}${sentence(g.reason).slice(1)}`;
      return `${g.fields.join(', ')} (${why})`;
    });
    parts.push(`Niet verstrekt: ${text.join('; ')}.`);
  }
  if (x.obligations.length > 0) parts.push(`Verplichtingen: ${x.obligations.map(obligationNl).join('; ')}.`);
  return parts.join(' ');
}

function obligationNl(o: Obligation): string {
  switch (o.kind) {
    case 'retention':
      return `bewaartermijn ${String(o['period'])}`;
    case 'notify_parent':
      return `ouders binnen ${String(o['withinDays'])} dagen informeren`;
    case 'notify_pupil':
      return `de leerling binnen ${String(o['withinDays'])} dagen informeren`;
    case 'log':
      return 'de verstrekking vastleggen in het verstrekkingenlogboek';
    default:
      return o.kind;
  }
}
