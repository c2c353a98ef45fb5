import { DISCLOSURE_FIELD_PATHS, REPORT_FIELD_PATHS, type RecipientKind } from '#domain';
import { NAMED_RECIPIENTS_ONLY } from './compile.js';
import { STATUTORY_INVARIANTS } from './floor.js';
import type { Policy, PolicyRule } from './policy.types.js';

/** One permitted flow of a policy, for people: who gets which fields, for what, on what basis, how long. */
export interface PolicyFlow {
  readonly rule: string;
  readonly recipient: string;
  /** Dutch name of the recipient as the policy defines it. */
  readonly recipientName: string;
  readonly purpose: string;
  /** Dutch description of the purpose. */
  readonly purposeDescription: string;
  /** Report kinds the flow is limited to; null: every kind (and requests without one). */
  readonly reportKinds: readonly string[] | null;
  /** Field paths that may be shared when the conditions hold (fields any forbid rule always withholds removed). */
  readonly fields: readonly string[];
  /** Field paths some forbid rule withholds in particular cases (e.g. for a sick pupil), with its reason. */
  readonly withheldWhen: readonly { readonly fields: readonly string[]; readonly reason: string }[];
  /** The conditions of the rule in Dutch ("leerling jonger dan 18"); empty: always (besides `categories`). */
  readonly conditions: readonly string[];
  /** The rule applies only to absence of one of these canonical categories (codes, for the reader's labels). */
  readonly categories: readonly string[] | null;
  /** Dutch, the rule's own reason. */
  readonly reason: string;
  /** AVG art. 6 ground code and the citation. */
  readonly basis: string;
  readonly legalBasis: string;
  /** ISO 8601 duration and the same in words ("5 jaar"); null when the rule names none. */
  readonly retention: string | null;
  readonly retentionText: string | null;
}

export interface PolicyOverview {
  readonly id: string;
  readonly version: string;
  readonly title: string | null;
  readonly effectiveFrom: string;
  readonly effectiveUntil: string | null;
  readonly flows: readonly PolicyFlow[];
  /** Per data category, how long ketenpoort keeps it, in words ("5 jaar na uitschrijving"). */
  readonly retention: readonly { readonly category: string; readonly periods: readonly string[] }[];
  /** The statutory floor, whatever the policy says (ADR 0012), with its grounds in Dutch. */
  readonly floor: readonly {
    readonly id: string;
    readonly description: string;
    readonly ground: string;
    readonly groundConfirmed: boolean;
  }[];
  /** The invariants the policy adds to the floor. */
  readonly ownInvariants: readonly { readonly id: string; readonly description: string }[];
}

const UNITS: Record<string, [string, string]> = {
  Y: ['jaar', 'jaar'],
  M: ['maand', 'maanden'],
  W: ['week', 'weken'],
  D: ['dag', 'dagen'],
};

/** An ISO 8601 period in Dutch words: `P5Y` → "5 jaar", `P6M` → "6 maanden", `P1Y6M` → "1 jaar en 6 maanden". */
export function durationInWords(iso: string): string {
  const match = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?$/.exec(iso);
  if (!match || iso === 'P') return iso;
  const parts: string[] = [];
  (['Y', 'M', 'W', 'D'] as const).forEach((unit, index) => {
    const value = match[index + 1];
    if (value === undefined) return;
    const n = Number(value);
    parts.push(`${n} ${n === 1 ? UNITS[unit][0] : UNITS[unit][1]}`);
  });
  return parts.length <= 1 ? (parts[0] ?? iso) : `${parts.slice(0, -1).join(', ')} en ${parts.at(-1)}`;
}

const CONTEXT_WORDS: Record<string, string> = {
  after_leaving: 'na uitschrijving',
};

function expand(policy: Policy, fields: readonly string[] | undefined): string[] {
  if (fields === undefined) return [...DISCLOSURE_FIELD_PATHS];
  const out = new Set<string>();
  for (const f of fields) {
    if (f === '*') REPORT_FIELD_PATHS.forEach((p) => out.add(p));
    else if (policy.dataCategories[f]) policy.dataCategories[f].forEach((p) => out.add(p));
    else out.add(f);
  }
  return [...out];
}

function conditionsOf(rule: PolicyRule): string[] {
  const w = rule.when;
  const out: string[] = [];
  if (w.ageAtLeast !== undefined && w.ageBelow !== undefined)
    out.push(`leerling van ${w.ageAtLeast} tot ${w.ageBelow} jaar`);
  else if (w.ageAtLeast !== undefined) out.push(`leerling van ${w.ageAtLeast} jaar of ouder`);
  else if (w.ageBelow !== undefined) out.push(`leerling jonger dan ${w.ageBelow} jaar`);
  if (w.consent) {
    const c = w.consent.jgz;
    out.push(
      c === 'given'
        ? 'met vastgelegde toestemming voor de jeugdarts'
        : c === 'withdrawn'
          ? 'toestemming voor de jeugdarts ingetrokken'
          : 'zonder vastgelegde toestemming voor de jeugdarts',
    );
  }
  if (w.validFrom) out.push(`vanaf ${w.validFrom.slice(0, 10)}`);
  if (w.validUntil) out.push(`tot ${w.validUntil.slice(0, 10)}`);
  return out;
}

/** Whether a rule's `when` can apply to this recipient, purpose and report kinds. */
function reaches(rule: PolicyRule, recipient: string, purpose: string): boolean {
  const w = rule.when;
  return (
    (w.recipients === undefined || w.recipients.includes(recipient as RecipientKind)) &&
    (w.purposes === undefined || w.purposes.includes(purpose))
  );
}

/** Whether a forbid rule applies whatever the pupil, consent, categories or date (only who/what/why). */
function unconditional(rule: PolicyRule): boolean {
  const w = rule.when;
  return (
    w.ageAtLeast === undefined &&
    w.ageBelow === undefined &&
    w.consent === undefined &&
    w.categoriesAny === undefined &&
    w.validFrom === undefined &&
    w.validUntil === undefined &&
    w.reportKinds === undefined
  );
}

/**
 * The policy in plain terms (issue 15 item 1): per enabled permit rule, recipient and purpose, the fields that
 * may be shared, its conditions, basis and retention; the retention per data category; the statutory floor.
 * Derived from the parsed policy only; the decisions themselves stay with `decide`.
 */
export function policyOverview(policy: Policy): PolicyOverview {
  const forbids = policy.rules.filter((r) => r.enabled && r.effect === 'forbid' && r.fields !== undefined);
  const flows: PolicyFlow[] = [];
  for (const rule of policy.rules) {
    if (!rule.enabled || rule.effect !== 'permit') continue;
    const recipients =
      rule.when.recipients ??
      (Object.keys(policy.recipients) as RecipientKind[]).filter((k) => !NAMED_RECIPIENTS_ONLY.has(k));
    const purposes = rule.when.purposes ?? Object.keys(policy.purposes);
    const released = expand(policy, rule.fields);
    for (const recipient of recipients) {
      for (const purpose of purposes) {
        const applying = forbids.filter((f) => reaches(f, recipient, purpose));
        const always = new Set(applying.filter(unconditional).flatMap((f) => expand(policy, f.fields)));
        const fields = released.filter((f) => !always.has(f));
        const withheldWhen = applying
          .filter((f) => !unconditional(f))
          .map((f) => ({
            fields: expand(policy, f.fields).filter((x) => fields.includes(x)),
            reason: f.reason,
          }))
          .filter((w) => w.fields.length > 0);
        const def = policy.purposes[purpose];
        const retention = rule.obligations?.retention ?? null;
        flows.push({
          rule: rule.id,
          recipient,
          recipientName: policy.recipients[recipient]?.name ?? recipient,
          purpose,
          purposeDescription: def?.description ?? purpose,
          reportKinds: rule.when.reportKinds ?? null,
          fields,
          withheldWhen,
          conditions: conditionsOf(rule),
          categories: rule.when.categoriesAny ?? null,
          reason: rule.reason,
          basis: def?.basis ?? '',
          legalBasis: def?.legalBasis ?? '',
          retention,
          retentionText: retention === null ? null : durationInWords(retention),
        });
      }
    }
  }
  const retention = Object.entries(policy.retention.categories).map(([category, contexts]) => {
    const entries = Object.entries(contexts);
    return {
      category,
      periods: entries.map(([context, period]) => {
        const words = durationInWords(period);
        if (context === 'default') return entries.length > 1 ? `anders ${words}` : words;
        return `${words} ${CONTEXT_WORDS[context] ?? `(${context})`}`;
      }),
    };
  });
  const floorIds = new Set(STATUTORY_INVARIANTS.map((i) => i.id));
  return {
    id: policy.id,
    version: policy.version,
    title: policy.title ?? null,
    effectiveFrom: policy.effectiveFrom,
    effectiveUntil: policy.effectiveUntil ?? null,
    flows,
    retention,
    floor: STATUTORY_INVARIANTS.map((i) => ({
      id: i.id,
      description: i.description,
      ground: i.ground,
      groundConfirmed: i.groundConfirmed,
    })),
    ownInvariants: policy.invariants
      .filter((i) => !floorIds.has(i.id))
      .map((i) => ({ id: i.id, description: i.description })),
  };
}
