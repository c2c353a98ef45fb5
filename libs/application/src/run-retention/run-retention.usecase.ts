import {
  type Clock,
  type PolicyEngine,
  type PupilPurgeCategory,
  RECIPIENT_KINDS,
  type ReceiptContext,
  type RetentionContext,
  type RetentionHook,
  type RetentionStore,
  checkRetention,
  shiftByPeriod,
} from '#domain';
import type { PolicyInForce, PolicyResolver } from '../privacy-engine/policy-in-force.js';
import { periodOf } from '../retention-overview/retention-overview.usecase.js';

const PAGE = 500;
const PUPIL_CATEGORIES: readonly PupilPurgeCategory[] = ['absence', 'quarantine', 'enrolment'];

export interface BoardRetentionResult {
  readonly board: string;
  readonly policy: { readonly id: string; readonly version: string } | null;
  /** category → rows deleted */
  readonly deleted: Record<string, number>;
  /** pupils past their period whose data was kept because of a legal hold */
  readonly held: number;
}

export interface RetentionRunResult {
  readonly runId: string;
  readonly at: string;
  readonly boards: readonly BoardRetentionResult[];
}

/**
 * The retention job: per board, under the policy in force now (the board's, else the shipped default), deletes what expired
 * and writes a DELETION_RECEIPT per pupil and category. A legal hold suspends deletion for that pupil.
 * The enrolment entry goes last, only when every other category of the pupil has expired, so nothing of a
 * pupil is ever left without the facts that say when it expires.
 */
export class RunRetentionUseCase {
  constructor(
    private readonly store: RetentionStore,
    private readonly policies: Pick<PolicyResolver, 'inForce'>,
    private readonly engine: PolicyEngine,
    private readonly clock: Clock,
    private readonly newId: () => string,
    private readonly hooks: readonly RetentionHook[] = [],
  ) {}

  async execute(): Promise<RetentionRunResult> {
    const now = this.clock.now();
    const runId = this.newId();
    const boards: BoardRetentionResult[] = [];
    for (const board of await this.store.boards()) boards.push(await this.runBoard(board, runId, now));
    return { runId, at: now.toISOString(), boards };
  }

  private async runBoard(board: string, runId: string, now: Date): Promise<BoardRetentionResult> {
    const policy = await this.policies.inForce(board, now, { forDisclosure: false });
    const periods: Record<string, string> = {};
    const period = (category: string, context: RetentionContext = {}): string => {
      const value = this.periodOf(policy, category, context);
      periods[category] = value;
      return value;
    };
    const receipt = (): ReceiptContext => ({
      runId,
      policy: { id: policy.id, version: policy.version },
      periods: { ...periods },
    });
    const deleted: Record<string, number> = {};
    const add = (category: string, n: number): void => {
      if (n > 0) deleted[category] = (deleted[category] ?? 0) + n;
    };
    let held = 0;

    let after: string | null = null;
    let afterAdministration: string | undefined;
    for (;;) {
      const page = await this.store.leftPupils(board, after, PAGE, afterAdministration);
      for (const pupil of page) {
        const expired = PUPIL_CATEGORIES.filter(
          (category) =>
            !checkRetention(
              { leftOn: pupil.leftOn, legalHold: false },
              now,
              period(category, { sector: pupil.sector }),
            ).keep,
        );
        if (expired.length === 0) continue;
        if (pupil.legalHold) {
          held += 1;
          continue;
        }
        const categories =
          expired.length === PUPIL_CATEGORIES.length ? expired : expired.filter((c) => c !== 'enrolment');
        const counts = await this.store.purgePupil(pupil, categories, receipt(), now);
        for (const [category, n] of Object.entries(counts)) add(category, n);
      }
      if (page.length < PAGE) break;
      after = page[page.length - 1].localId;
      afterAdministration = page[page.length - 1].administration;
    }

    for (const recipient of RECIPIENT_KINDS) {
      const before = shiftByPeriod(now, period('disclosure_request', { recipient }), -1);
      add(
        'disclosure_request',
        await this.store.purgeDisclosureRequests(board, recipient, before, receipt(), now),
      );
    }
    add(
      'quarantine',
      await this.store.purgeUnlinkedQuarantine(
        board,
        shiftByPeriod(now, period('quarantine'), -1),
        receipt(),
        now,
      ),
    );

    if (this.hooks.length > 0) {
      const heldLocalIds = await this.store.heldPupils(board);
      for (const hook of this.hooks) {
        const results = await hook.expire({ board, now, period: period(hook.category), heldLocalIds });
        await this.store.appendReceipts(
          board,
          results.map((r) => ({ category: hook.category, pupil: r.pupilPseudonym, count: r.count })),
          receipt(),
          now,
        );
        for (const r of results) add(hook.category, r.count);
      }
    }
    add('record_batch', await this.store.purgeEmptyBatches(board, receipt(), now));
    return { board, policy: { id: policy.id, version: policy.version }, deleted, held };
  }

  /** The policy's period for a category; the default when there is no policy or it has no (valid) answer. */
  private periodOf(policy: PolicyInForce, category: string, context: RetentionContext): string {
    return periodOf(this.engine, policy.text, category, context);
  }
}
