import type {
  Actor,
  ErrorIssue,
  PolicyEngine,
  PolicyMeta,
  PolicyProofResult,
  PolicyVersionStore,
} from '#domain';
import { officerBoard, requirePolicyText } from '../policy-versions/index.js';
import type { SimulatePolicyUseCase, SimulationResult } from '../simulate-policy/index.js';

/** A problem in the text, at its line and column (1-based) when the engine knows them. */
export interface PolicyTextIssue extends ErrorIssue {
  readonly line?: number;
  readonly column?: number;
}

/** What the editor shows for a text: nothing of it is stored (ADR 0022). */
export interface PolicyDraftCheck {
  /** The text is a valid policy (schema and semantic checks); the proof may still fail. */
  readonly valid: boolean;
  readonly issues: readonly PolicyTextIssue[];
  /** What the text says about itself; null when invalid. */
  readonly policy: PolicyMeta | null;
  /** A version with this id and version is stored already (storing it would be a conflict). */
  readonly versionExists: boolean;
  /** The exhaustive proof (statutory floor and the text's own invariants); null when invalid. */
  readonly proof: PolicyProofResult | null;
  /** The comparison with the policy in force (whole domain and replay), with that policy's text for a diff. */
  readonly simulation: (SimulationResult & { readonly baselineText: string }) | null;
}

/**
 * The editor's check "as you type" (ADR 0022): validate, prove and simulate a policy text against the
 * policy in force without storing anything. An invalid text is an answer (200 with issues at their line and
 * column), not an error; only a missing or oversized text is refused.
 */
export class ValidatePolicyDraftUseCase {
  constructor(
    private readonly policies: PolicyVersionStore,
    private readonly engine: PolicyEngine,
    private readonly simulation: SimulatePolicyUseCase,
  ) {}

  async execute(actor: Actor, text: unknown, days = 30): Promise<PolicyDraftCheck> {
    const board = officerBoard(actor);
    requirePolicyText(text);
    const validated = this.engine.validate(text);
    if (!validated.ok) {
      return {
        valid: false,
        issues: validated.issues,
        policy: null,
        versionExists: false,
        proof: null,
        simulation: null,
      };
    }
    const meta = validated.value;
    const existing = await this.policies.get(board, meta.id, meta.version);
    const simulation = await this.simulation.forText(
      board,
      { policyId: meta.id, version: meta.version, text, effectiveFrom: meta.effectiveFrom },
      days,
    );
    return {
      valid: true,
      issues: [],
      policy: meta,
      versionExists: existing !== null,
      proof: simulation.proof,
      simulation,
    };
  }
}
