import { DomainError, type ErrorIssue, type PolicyProofResult } from '#domain';
import { PRIVACY_ENGINE_ERRORS } from './privacy-engine-error-codes.js';

/**
 * A policy that fails its proof (ADR 0012): 422 `POLICY_PROOF_FAILED`, one issue per failing invariant
 * (code `INVARIANT_VIOLATED`) and, as `failing`, each with its Dutch message and one counterexample.
 */
export function proofFailedError(
  policy: { readonly id: string; readonly version: string },
  proof: PolicyProofResult,
  title = 'The policy fails its proof; it cannot be approved',
): DomainError {
  return new DomainError(
    PRIVACY_ENGINE_ERRORS.POLICY_PROOF_FAILED,
    'unprocessable',
    title,
    proofIssues(proof),
    false,
    {
      policy: { id: policy.id, version: policy.version },
      failing: proof.failing,
    },
  );
}

export function proofIssues(proof: PolicyProofResult): ErrorIssue[] {
  return proof.failing.map((f) => ({
    field: `invariants.${f.invariant}`,
    code: f.code,
    message: `invariant ${f.invariant} (${f.source}) does not hold: ${f.counterexample.field} goes to ${f.counterexample.request.recipient.kind} by rule ${f.counterexample.releasedBy}`,
  }));
}

/** The same, one line per failing invariant, for a terminal (start-up, CLI): code, id and the Dutch message. */
export function proofLines(proof: PolicyProofResult): string[] {
  return proof.failing.map((f) => `${f.code}: ${f.invariant}: ${f.message}`);
}
