import type { PolicyEngine, PolicyVersionStore } from '#domain';
import { DomainError } from '#domain';

/** Where the policy that decided came from: the board's approved version in force, or the shipped default. */
export type PolicySourceKind = 'board' | 'default';

export interface PolicyInForce {
  readonly id: string;
  readonly version: string;
  readonly text: string;
  readonly source: PolicySourceKind;
}

/**
 * Resolves the policy text that applies to a board: its approved version in force at the moment, else the
 * shipped default policy (`config/privacy/default.policy.yaml`, loaded once at start). A board never goes
 * without a policy, and default deny still holds inside it.
 */
export class PolicyResolver {
  readonly defaultPolicy: PolicyInForce;

  constructor(
    private readonly policies: PolicyVersionStore,
    engine: PolicyEngine,
    defaultPolicyText: string,
  ) {
    const meta = engine.validate(defaultPolicyText);
    if (!meta.ok) {
      throw new DomainError(
        'DEFAULT_POLICY_INVALID',
        'internal',
        'The shipped default privacy policy is invalid',
        meta.issues,
      );
    }
    this.defaultPolicy = {
      id: meta.value.id,
      version: meta.value.version,
      text: defaultPolicyText,
      source: 'default',
    };
  }

  /** The policy in force for the board at `at`. */
  async inForce(board: string, at: Date): Promise<PolicyInForce> {
    const version = await this.policies.effectiveAt(board, at);
    if (!version) return this.defaultPolicy;
    return { id: version.policyId, version: version.version, text: version.text, source: 'board' };
  }

  /** The text of a version that decided: the board's stored version, else the default when it matches. */
  async textOf(board: string, id: string, version: string): Promise<string | null> {
    const stored = await this.policies.get(board, id, version);
    if (stored) return stored.text;
    const d = this.defaultPolicy;
    return d.id === id && d.version === version ? d.text : null;
  }
}
