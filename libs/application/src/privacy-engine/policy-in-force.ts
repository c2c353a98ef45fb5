import type { PolicyEngine, PolicyVersion, PolicyVersionStore } from '#domain';
import { DomainError } from '#domain';
import { proofIssues } from './proof-error.js';
import { PRIVACY_ENGINE_ERRORS } from './privacy-engine-error-codes.js';

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
 * shipped default policy (`config/privacy/default.policy.yaml` or PRIVACY_POLICY_FILE, loaded once at
 * start). A board never goes without a policy, and default deny still holds inside it.
 *
 * Nothing that fails the proof decides (ADR 0012): the default is proven here (the start-up check proved it
 * before already), and a board's version is proven before it decides, however it got into the store (a
 * version approved before proofs existed, a row written by hand). One that fails refuses every decision
 * with 409 `POLICY_IN_FORCE_FAILS_PROOF` until a version that holds is approved.
 */
export class PolicyResolver {
  readonly defaultPolicy: PolicyInForce;

  constructor(
    private readonly policies: PolicyVersionStore,
    private readonly engine: PolicyEngine,
    defaultPolicyText: string,
  ) {
    const meta = engine.validate(defaultPolicyText);
    if (!meta.ok) {
      throw new DomainError(
        PRIVACY_ENGINE_ERRORS.DEFAULT_POLICY_INVALID,
        'internal',
        'The shipped default privacy policy is invalid',
        meta.issues,
      );
    }
    const proof = engine.prove(defaultPolicyText);
    if (!proof.holds) {
      throw new DomainError(
        PRIVACY_ENGINE_ERRORS.DEFAULT_POLICY_FAILS_PROOF,
        'internal',
        'The default privacy policy fails its proof',
        proofIssues(proof),
      );
    }
    this.defaultPolicy = {
      id: meta.value.id,
      version: meta.value.version,
      text: defaultPolicyText,
      source: 'default',
    };
  }

  /**
   * The policy in force for the board at `at`, proven before it is handed out. Retention asks for its
   * periods only (`{ forDisclosure: false }`): keeping data no longer than a version says releases nothing,
   * so a version that fails the proof does not stop the retention job.
   */
  async inForce(
    board: string,
    at: Date,
    options: { readonly forDisclosure: boolean } = { forDisclosure: true },
  ): Promise<PolicyInForce> {
    const version = await this.policies.effectiveAt(board, at);
    if (!version) return this.defaultPolicy;
    if (options.forDisclosure) this.requireProven(version);
    return { id: version.policyId, version: version.version, text: version.text, source: 'board' };
  }

  /** Throws 409 POLICY_IN_FORCE_FAILS_PROOF when the stored version fails the proof of this engine. */
  requireProven(version: PolicyVersion): void {
    const proof = this.engine.prove(version.text);
    if (proof.holds) return;
    throw new DomainError(
      PRIVACY_ENGINE_ERRORS.POLICY_IN_FORCE_FAILS_PROOF,
      'conflict',
      'The policy version in force fails its proof; nothing is decided until a version that holds is approved',
      proofIssues(proof),
      false,
      { policy: { id: version.policyId, version: version.version }, failing: proof.failing },
    );
  }

  /** The text of a version that decided: the board's stored version, else the default when it matches. */
  async textOf(board: string, id: string, version: string): Promise<string | null> {
    const stored = await this.policies.get(board, id, version);
    if (stored) return stored.text;
    const d = this.defaultPolicy;
    return d.id === id && d.version === version ? d.text : null;
  }
}
