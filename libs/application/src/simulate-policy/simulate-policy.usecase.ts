import {
  type Actor,
  type Clock,
  type DisclosureStore,
  NotFoundError,
  type PolicyEngine,
  type PolicyVersionStore,
  ValidationError,
} from '#domain';
import { officerBoard } from '../policy-versions/index.js';
import { requestFromPseudonymised } from '../record-disclosure/index.js';

const MAX_REQUESTS = 50_000;
const PAGE = 1_000;

export interface FieldChanges {
  /** field → how many requests would now release it */
  readonly newlyReleased: Record<string, number>;
  /** field → how many requests would now withhold it */
  readonly newlyWithheld: Record<string, number>;
}

export interface SimulationResult {
  readonly policy: { readonly id: string; readonly version: string };
  /** The version the draft is compared with; null when none is in force (then: the decisions as recorded). */
  readonly baseline: { readonly id: string; readonly version: string } | null;
  readonly days: number;
  readonly requests: number;
  readonly changed: number;
  /** Requests whose effect flips (permit ↔ deny). */
  readonly effectChanged: number;
  readonly byRecipient: Record<string, FieldChanges>;
  /** true when more requests were recorded than one simulation evaluates. */
  readonly truncated: boolean;
}

/**
 * "Test a draft against recent real decisions" (privacy.md §3): every pseudonymised request of the last N
 * days is decided again under the draft and under the version in force now, and the differences are counted
 * per recipient and field. A draft whose effective date lies after a request is evaluated as of that date
 * (its rules as they would apply once in force). Nothing is stored.
 */
export class SimulatePolicyUseCase {
  constructor(
    private readonly policies: PolicyVersionStore,
    private readonly disclosures: DisclosureStore,
    private readonly engine: PolicyEngine,
    private readonly clock: Clock,
  ) {}

  async execute(actor: Actor, policyId: string, version: string, days: number): Promise<SimulationResult> {
    const board = officerBoard(actor);
    if (!Number.isInteger(days) || days < 1 || days > 3_650) {
      throw new ValidationError('DAYS_INVALID', 'days must be a whole number from 1 to 3650', [
        { field: 'days', code: 'DAYS_INVALID', message: 'from 1 to 3650' },
      ]);
    }
    const draft = await this.policies.get(board, policyId, version);
    if (!draft) throw new NotFoundError('POLICY_VERSION_NOT_FOUND', 'No such policy version');
    const now = this.clock.now();
    const current = await this.policies.effectiveAt(board, now);
    const from = new Date(now.getTime() - days * 86_400_000);
    const draftFrom = new Date(`${draft.effectiveFrom}T12:00:00Z`);

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
        const before = current ? this.engine.decide(current.text, request, at) : stored.decision;
        const released = new Set(next.effect === 'permit' ? next.released : []);
        const previously = new Set(before.effect === 'permit' ? before.released : []);
        const added = [...released].filter((f) => !previously.has(f));
        const removed = [...previously].filter((f) => !released.has(f));
        if (next.effect !== before.effect) effectChanged += 1;
        if (added.length === 0 && removed.length === 0 && next.effect === before.effect) continue;
        changed += 1;
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
      baseline: current ? { id: current.policyId, version: current.version } : null,
      days,
      requests,
      changed,
      effectChanged,
      byRecipient,
      truncated,
    };
  }
}
