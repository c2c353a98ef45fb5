import {
  type Actor,
  type Clock,
  type DisclosureStore,
  type DomainDiffResult,
  NotFoundError,
  type PolicyEngine,
  type PolicyProofResult,
  type PolicyVersionStore,
  ValidationError,
} from '#domain';
import { officerBoard } from '../policy-versions/index.js';
import type { PolicyResolver } from '../privacy-engine/index.js';
import { requestFromPseudonymised } from '../record-disclosure/index.js';
import { SIMULATE_POLICY_ERRORS } from './simulate-policy-error-codes.js';

const MAX_REQUESTS = 50_000;
const PAGE = 1_000;
const REPLAY_EXAMPLES = 5;

/** A replayed request whose decision changes: pseudonymised (field names, no values, no pupil). */
export interface ReplayExample {
  readonly requestId: string;
  readonly recordedAt: string;
  readonly recipient: string;
  readonly purpose: string;
  readonly reportKind: string | null;
  readonly ageAtDate: number;
  readonly categories: readonly string[];
  readonly effectBefore: 'permit' | 'deny';
  readonly effectAfter: 'permit' | 'deny';
  readonly newlyReleased: readonly string[];
  readonly newlyWithheld: readonly string[];
}

export interface FieldChanges {
  /** field → how many requests would now release it */
  readonly newlyReleased: Record<string, number>;
  /** field → how many requests would now withhold it */
  readonly newlyWithheld: Record<string, number>;
}

export interface SimulationResult {
  readonly policy: { readonly id: string; readonly version: string };
  /** The policy the draft is compared with: the board's version in force now, else the shipped default. */
  readonly baseline: { readonly id: string; readonly version: string; readonly source: 'board' | 'default' };
  /** The draft's exhaustive proof (statutory floor and its own invariants), run again for this report. */
  readonly proof: PolicyProofResult;
  /** Invariants the baseline adds to the floor that the draft no longer declares (shown, not refused). */
  readonly droppedInvariants: readonly string[];
  /** (a) The whole domain of the proof: every combination where the draft releases or withholds differently. */
  readonly domain: DomainDiffResult;
  /** (b) The replay of the last `days` of stored, pseudonymised requests under both. */
  readonly days: number;
  readonly requests: number;
  readonly changed: number;
  /** Requests whose effect flips (permit ↔ deny). */
  readonly effectChanged: number;
  readonly byRecipient: Record<string, FieldChanges>;
  /** true when more requests were recorded than one simulation evaluates. */
  readonly truncated: boolean;
  /** A few of the requests that change, pseudonymised. */
  readonly examples: readonly ReplayExample[];
}

/**
 * "Test a draft against recent real decisions" (privacy.md §3), in two parts (ADR 0012). (a) The whole
 * domain: with the proof's enumeration, every recipient × purpose × report kind × categories × age band ×
 * consent where the draft releases a field the policy in force does not, or withholds one it releases, so
 * a draft that gives the BSN to a new recipient shows even if no such request was ever made. (b) The replay:
 * every pseudonymised request of the last N days decided again under the draft and under the policy in force
 * now (board version or shipped default), counted per recipient and field. A draft whose effective date lies
 * after a request is evaluated as of that date (its rules as they would apply once in force). The draft's
 * proof is part of the report. Nothing is stored.
 */
export class SimulatePolicyUseCase {
  constructor(
    private readonly policies: PolicyVersionStore,
    private readonly disclosures: DisclosureStore,
    private readonly engine: PolicyEngine,
    private readonly clock: Clock,
    private readonly resolver: PolicyResolver,
  ) {}

  async execute(actor: Actor, policyId: string, version: string, days: number): Promise<SimulationResult> {
    const board = officerBoard(actor);
    checkDays(days);
    const draft = await this.policies.get(board, policyId, version);
    if (!draft)
      throw new NotFoundError(SIMULATE_POLICY_ERRORS.POLICY_VERSION_NOT_FOUND, 'No such policy version');
    return this.compare(board, draft, days);
  }

  /**
   * The same report for a (valid) policy text that is not stored: the editor's "validate and prove without
   * storing" (ADR 0022). The caller validated the text first.
   */
  async forText(
    board: string,
    draft: {
      readonly policyId: string;
      readonly version: string;
      readonly text: string;
      readonly effectiveFrom: string;
    },
    days: number,
  ): Promise<SimulationResult & { readonly baselineText: string }> {
    checkDays(days);
    return this.compare(board, draft, days);
  }

  private async compare(
    board: string,
    draft: {
      readonly policyId: string;
      readonly version: string;
      readonly text: string;
      readonly effectiveFrom: string;
    },
    days: number,
  ): Promise<SimulationResult & { readonly baselineText: string }> {
    const now = this.clock.now();
    const current = await this.resolver.inForce(board, now, { forDisclosure: false });
    const from = new Date(now.getTime() - days * 86_400_000);
    const draftFrom = new Date(`${draft.effectiveFrom}T12:00:00Z`);
    const proof = this.engine.prove(draft.text);
    const before = this.engine.prove(current.text);
    const droppedInvariants = before.ownInvariants.filter((id) => !proof.ownInvariants.includes(id));
    const domain = this.engine.diff(current.text, draft.text, now);
    const examples: ReplayExample[] = [];

    const byRecipient: Record<
      string,
      { newlyReleased: Record<string, number>; newlyWithheld: Record<string, number> }
    > = {};
    let requests = 0;
    let changed = 0;
    let effectChanged = 0;
    let cursor = from;
    let seen = new Set<string>();
    let truncated = false;
    for (;;) {
      const page = (await this.disclosures.since(board, cursor, PAGE + seen.size)).filter(
        (r) => !seen.has(r.id),
      );
      if (page.length === 0) break;
      for (const stored of page) {
        if (requests >= MAX_REQUESTS) {
          truncated = true;
          break;
        }
        requests += 1;
        const at = new Date(stored.recordedAt);
        const request = requestFromPseudonymised(stored.request);
        // A draft that takes effect later is asked as if it were in force: from its first day on.
        const draftAt = at.getTime() < draftFrom.getTime() ? draftFrom : at;
        const next = this.engine.decide(draft.text, request, draftAt);
        const prior = this.engine.decide(current.text, request, at);
        const released = new Set(next.effect === 'permit' ? next.released : []);
        const previously = new Set(prior.effect === 'permit' ? prior.released : []);
        const added = [...released].filter((f) => !previously.has(f));
        const removed = [...previously].filter((f) => !released.has(f));
        if (next.effect !== prior.effect) effectChanged += 1;
        if (added.length === 0 && removed.length === 0 && next.effect === prior.effect) continue;
        changed += 1;
        if (examples.length < REPLAY_EXAMPLES)
          examples.push({
            requestId: stored.id,
            recordedAt: stored.recordedAt,
            recipient: stored.request.recipient.kind,
            purpose: stored.request.purpose,
            reportKind: stored.request.reportKind ?? null,
            ageAtDate: stored.request.pupil.ageAtDate,
            categories: stored.request.categories ?? [],
            effectBefore: prior.effect,
            effectAfter: next.effect,
            newlyReleased: added,
            newlyWithheld: removed,
          });
        const bucket = (byRecipient[stored.request.recipient.kind] ??= {
          newlyReleased: {},
          newlyWithheld: {},
        });
        for (const f of added) bucket.newlyReleased[f] = (bucket.newlyReleased[f] ?? 0) + 1;
        for (const f of removed) bucket.newlyWithheld[f] = (bucket.newlyWithheld[f] ?? 0) + 1;
      }
      if (truncated || page.length < PAGE) break;
      // Keyset on recorded_at: requests sharing the last instant are skipped by id on the next page.
      const last = page[page.length - 1].recordedAt;
      const lastAt = new Date(last);
      seen = new Set(page.filter((r) => r.recordedAt === last).map((r) => r.id));
      cursor = lastAt;
    }
    return {
      policy: { id: draft.policyId, version: draft.version },
      baseline: { id: current.id, version: current.version, source: current.source },
      proof,
      droppedInvariants,
      domain,
      days,
      requests,
      changed,
      effectChanged,
      byRecipient,
      truncated,
      examples,
      baselineText: current.text,
    };
  }
}

function checkDays(days: number): void {
  if (!Number.isInteger(days) || days < 1 || days > 3_650) {
    throw new ValidationError(
      SIMULATE_POLICY_ERRORS.DAYS_INVALID,
      'days must be a whole number from 1 to 3650',
      [{ field: 'days', code: SIMULATE_POLICY_ERRORS.DAYS_INVALID, message: 'from 1 to 3650' }],
    );
  }
}
