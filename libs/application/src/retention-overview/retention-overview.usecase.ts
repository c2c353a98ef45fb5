import {
  type Actor,
  type Clock,
  DEFAULT_RETENTION,
  type DeletionReceipt,
  type LegalHoldEvent,
  type PolicyEngine,
  type RetentionContext,
  type RetentionRecords,
  ValidationError,
  parseRetentionPeriod,
  requireRole,
} from '#domain';
import { type RetentionForecast, retentionForecast } from '#privacy';
import type { PolicyResolver } from '../privacy-engine/policy-in-force.js';
import { RETENTION_OVERVIEW_ERRORS } from './retention-overview-error-codes.js';

export interface RetentionForecastView extends RetentionForecast {
  readonly generatedAt: string;
  readonly policy: { readonly id: string; readonly version: string; readonly source: string };
  /** The period applied per category (ISO 8601; pupils' categories per sector when those differ). */
  readonly periods: Readonly<Record<string, readonly string[]>>;
  /** Pupils on legal hold now: their data is left out of the forecast. */
  readonly heldPupils: number;
}

export interface Page<T> {
  readonly items: readonly T[];
  readonly total: number;
  readonly page: number;
  readonly pageSize: number;
}

export const FORECAST_MONTHS_MAX = 36;

/**
 * The privacy officer's (and auditor's) view of retention (issue 15 item 5): what will be deleted per category
 * per month under the policy in force, the deletion receipts, and the legal holds placed and lifted. Board-scoped.
 */
export class RetentionOverviewUseCase {
  constructor(
    private readonly records: RetentionRecords,
    private readonly policies: Pick<PolicyResolver, 'inForce'>,
    private readonly engine: PolicyEngine,
    private readonly clock: Clock,
  ) {}

  async forecast(actor: Actor, months: number = 12): Promise<RetentionForecastView> {
    const board = readerBoard(actor);
    if (!Number.isInteger(months) || months < 1 || months > FORECAST_MONTHS_MAX) {
      throw new ValidationError(
        RETENTION_OVERVIEW_ERRORS.FORECAST_MONTHS_INVALID,
        'months must be a whole number from 1 to 36',
        [
          {
            field: 'months',
            code: RETENTION_OVERVIEW_ERRORS.FORECAST_MONTHS_INVALID,
            message: `1–${FORECAST_MONTHS_MAX}`,
          },
        ],
      );
    }
    const now = this.clock.now();
    const policy = await this.policies.inForce(board, now, { forDisclosure: false });
    const periods: Record<string, Set<string>> = {};
    const period = (category: string, context: RetentionContext): string => {
      const value = periodOf(this.engine, policy.text, category, context);
      (periods[category] ??= new Set()).add(value);
      return value;
    };
    const buckets = await this.records.forecastBuckets(board);
    const inputs = buckets.map((b) => ({
      category: b.category,
      from: b.from,
      count: b.count,
      periods: [b.category, ...b.alsoAfter].map((c) => period(c, b.context)),
    }));
    return {
      ...retentionForecast(inputs, now, months),
      generatedAt: now.toISOString(),
      policy: { id: policy.id, version: policy.version, source: policy.source },
      periods: Object.fromEntries(Object.entries(periods).map(([c, set]) => [c, [...set].sort()])),
      heldPupils: await this.records.heldPupilCount(board),
    };
  }

  async receipts(actor: Actor, page = 1, pageSize = 25): Promise<Page<DeletionReceipt>> {
    const board = readerBoard(actor);
    const rows = await this.records.receipts(board, (page - 1) * pageSize, pageSize);
    return { items: rows.items, total: rows.total, page, pageSize };
  }

  async holds(actor: Actor, page = 1, pageSize = 25): Promise<Page<LegalHoldEvent>> {
    const board = readerBoard(actor);
    const rows = await this.records.holdEvents(board, (page - 1) * pageSize, pageSize);
    return { items: rows.items, total: rows.total, page, pageSize };
  }
}

/** The policy's period for a category; the shipped default when the policy has no (valid) answer. */
export function periodOf(
  engine: PolicyEngine,
  policyText: string,
  category: string,
  context: RetentionContext,
): string {
  const fallback = DEFAULT_RETENTION[category] ?? DEFAULT_RETENTION['absence'];
  try {
    const value = engine.retentionPeriod(policyText, category, context);
    parseRetentionPeriod(value);
    return value;
  } catch {
    return fallback;
  }
}

/** The privacy officer or auditor of a board; anyone else: 403. */
export function readerBoard(actor: Actor): string {
  requireRole(actor, ['privacy_officer', 'auditor'], 'Only a privacy officer or auditor reads this');
  return actor.board;
}
