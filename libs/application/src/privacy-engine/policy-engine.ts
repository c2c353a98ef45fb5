import type {
  Decision,
  DisclosureRequest,
  DomainDiffResult,
  PolicyEngine,
  PolicyMeta,
  PolicyProofResult,
  Result,
  RetentionContext,
} from '#domain';
import {
  type Policy,
  type Release,
  type ReleasedPayload,
  STATUTORY_INVARIANT_IDS,
  decide,
  diffPolicies,
  parsePolicy,
  provePolicy,
  release,
  retentionPeriod,
} from '#privacy';
import { DomainError } from '#domain';
import { PRIVACY_ENGINE_ERRORS } from './privacy-engine-error-codes.js';

/** How many parsed policy texts are kept; a board has a handful of versions in use at once. */
const CACHE_SIZE = 32;

/**
 * Proofs by exact policy text, shared by every engine of the process: a proof takes seconds and depends on
 * the text only (the floor is part of the engine), so the shipped default is proven once per process.
 */
const proofs = new Map<string, PolicyProofResult>();

/**
 * The `PolicyEngine` port over the pure engine of `#privacy`. Stores hand in policy texts; parsing is the
 * expensive part, so parsed policies are cached by their exact text (a text is immutable once stored).
 */
export class PrivacyPolicyEngine implements PolicyEngine<ReleasedPayload> {
  private readonly parsed = new Map<string, Policy>();

  validate(text: string): Result<PolicyMeta> {
    const result = parsePolicy(text);
    if (!result.ok) {
      return {
        ok: false,
        issues: result.issues.map((p) => ({
          field: p.path === '' ? `line ${p.line}` : `${p.path} (line ${p.line}, column ${p.column})`,
          code: p.code,
          message: p.message,
          // Where the editor places the problem (ADR 0022); 1-based.
          line: p.line,
          column: p.column,
        })),
      };
    }
    this.remember(text, result.value);
    const { id, version, effectiveFrom, effectiveUntil } = result.value;
    return {
      ok: true,
      value:
        effectiveUntil === undefined
          ? { id, version, effectiveFrom }
          : { id, version, effectiveFrom, effectiveUntil },
    };
  }

  prove(text: string): PolicyProofResult {
    const known = proofs.get(text);
    if (known) return known;
    const policy = this.policy(text);
    const proof = provePolicy(policy);
    const result: PolicyProofResult = {
      holds: proof.holds,
      combinationsChecked: proof.combinationsChecked,
      invariants: proof.invariants.map((inv) => ({
        id: inv.id,
        source: inv.source,
        description: inv.description,
        holds: inv.holds,
        violations: inv.violations,
        ...(inv.ground === undefined ? {} : { ground: inv.ground, groundConfirmed: inv.groundConfirmed }),
      })),
      failing: proof.failing,
      ownInvariants: policy.invariants.map((i) => i.id).filter((id) => !STATUTORY_INVARIANT_IDS.has(id)),
    };
    if (proofs.size >= CACHE_SIZE) {
      const oldest = proofs.keys().next().value;
      if (oldest !== undefined) proofs.delete(oldest);
    }
    proofs.set(text, result);
    return result;
  }

  diff(baselineText: string, draftText: string, from: Date): DomainDiffResult {
    return diffPolicies(this.policy(baselineText), this.policy(draftText), { fromMs: from.getTime() });
  }

  decide(policyText: string, request: DisclosureRequest, at: Date): Decision {
    return decide(this.policy(policyText), request, { at });
  }

  /** Decides and, on permit, makes the ReleasedPayload a connector may send (only `release` can make one). */
  release(policyText: string, request: DisclosureRequest, at: Date): Release {
    return release(this.policy(policyText), request, { at });
  }

  retentionPeriod(policyText: string, category: string, context: RetentionContext): string {
    return retentionPeriod(
      this.policy(policyText),
      category,
      context.recipient ?? context.sector ?? 'default',
    );
  }

  legalBasis(policyText: string, purpose: string): string | null {
    const purposes = this.policy(policyText).purposes;
    return Object.hasOwn(purposes, purpose) ? purposes[purpose].legalBasis : null;
  }

  private policy(text: string): Policy {
    const cached = this.parsed.get(text);
    if (cached) return cached;
    const result = parsePolicy(text);
    // Stored texts were validated when they were saved; failing now means the store was altered.
    if (!result.ok)
      throw new DomainError(
        PRIVACY_ENGINE_ERRORS.STORED_POLICY_INVALID,
        'internal',
        'A stored privacy policy is invalid',
      );
    this.remember(text, result.value);
    return result.value;
  }

  private remember(text: string, policy: Policy): void {
    if (this.parsed.size >= CACHE_SIZE) {
      const oldest = this.parsed.keys().next().value;
      if (oldest !== undefined) this.parsed.delete(oldest);
    }
    this.parsed.set(text, policy);
  }
}
