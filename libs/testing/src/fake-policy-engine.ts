import type { Decision, DisclosureRequest, PolicyEngine, PolicyMeta, Result } from '#domain';

/**
 * A hand-written stand-in for the real engine in `#privacy`, for tests of the stateful side. Its "policy
 * text" is JSON (which is YAML too):
 *   { "id", "version", "effectiveFrom", "effectiveUntil"?, "release": { "<RECIPIENT>": [field…] },
 *     "retention": { "<category>": "P5Y" }, "legalBasis"?: { "<RECIPIENT>": "…" } }
 * A request is permitted when at least one payload field is on the recipient's list; the rest is withheld.
 */
export interface FakePolicy {
  readonly id: string;
  readonly version: string;
  readonly effectiveFrom: string;
  readonly effectiveUntil?: string;
  readonly release?: Readonly<Record<string, readonly string[]>>;
  readonly retention?: Readonly<Record<string, string>>;
  readonly legalBasis?: Readonly<Record<string, string>>;
}

export const fakePolicyText = (policy: FakePolicy): string => JSON.stringify(policy, null, 2);

export class FakePolicyEngine implements PolicyEngine {
  validate(text: string): Result<PolicyMeta> {
    let parsed: Partial<FakePolicy>;
    try {
      parsed = JSON.parse(text) as Partial<FakePolicy>;
    } catch {
      return {
        ok: false,
        issues: [{ field: 'policy', code: 'POLICY_SYNTAX', message: 'not valid YAML/JSON' }],
      };
    }
    const issues = (['id', 'version', 'effectiveFrom'] as const)
      .filter((key) => typeof parsed[key] !== 'string')
      .map((key) => ({ field: key, code: 'POLICY_FIELD_MISSING', message: `${key} is required` }));
    if (issues.length > 0) return { ok: false, issues };
    return {
      ok: true,
      value: {
        id: parsed.id!,
        version: parsed.version!,
        effectiveFrom: parsed.effectiveFrom!,
        ...(parsed.effectiveUntil ? { effectiveUntil: parsed.effectiveUntil } : {}),
      },
    };
  }

  decide(policyText: string, request: DisclosureRequest): Decision {
    const policy = JSON.parse(policyText) as FakePolicy;
    const allowed = new Set(policy.release?.[request.recipient.kind] ?? []);
    const fields = Object.keys(request.payload);
    const released = fields.filter((f) => allowed.has(f));
    const basis = policy.legalBasis?.[request.recipient.kind];
    return {
      effect: released.length > 0 ? 'permit' : 'deny',
      released,
      withheld: fields
        .filter((f) => !allowed.has(f))
        .map((field) => ({ field, rule: 'default-deny', reason: 'Niet toegestaan voor deze ontvanger' })),
      obligations: basis ? [{ kind: 'LOG', legalBasis: basis }] : [],
      determinedBy:
        released.length > 0 ? [`release-${request.recipient.kind.toLowerCase()}`] : ['default-deny'],
      explanation: released.length > 0 ? 'Toegestaan volgens het beleid' : 'Niets toegestaan',
      policy: { id: policy.id, version: policy.version },
    };
  }

  retentionPeriod(policyText: string, category: string): string {
    const period = (JSON.parse(policyText) as FakePolicy).retention?.[category];
    if (!period) throw new Error(`no retention for ${category}`);
    return period;
  }
}
