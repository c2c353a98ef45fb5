import type { NewAuditEntry } from './audit.js';
import type {
  ClosingExplanation,
  ClosingReason,
  Delivery,
  DeliveryFailureOutcome,
  Destination,
  PlannedDelivery,
} from './delivery.js';
import type { OutboxEvent } from './ports.js';
import type { NewReport, Report, ReportStatus } from './report.js';
import type { SignalChanges } from './signal-ports.js';

// The unit of work (ADR 0032): use cases decide what changes, what is emitted and what is audited (through the
// report and delivery lifecycles); the stores handed to the work map those decisions onto rows, all in one
// transaction that commits when the work resolves and rolls back when it throws. The port lives here beside the
// other ports because #persistence, which implements it, may import only #domain.

/** What a failed attempt leaves on its delivery, as the delivery lifecycle decided it. */
export interface DeliveryFailure {
  readonly outcome: DeliveryFailureOutcome;
  readonly code: string;
  readonly reason: string;
  readonly nextAttemptAt: Date | null;
  /** The attempt does not count (RETRY_WAIT on hold: nothing was sent). */
  readonly refundAttempt: boolean;
}

/** A person's decision on a DRAFT report. */
export interface ReportDecision {
  readonly status: 'APPROVED' | 'DISMISSED';
  readonly by: string;
  readonly reason: string | null;
}

/** Deliveries as rows: reads and conditional updates; none of them decides a status. */
export interface DeliveryRows {
  find(deliveryId: string): Promise<Delivery | null>;
  ofReport(board: string, reportId: string): Promise<Delivery[]>;
  /** Inserts the planned deliveries (idempotent on their keys): SKIPPED with their reason, else PENDING due `at`. */
  insertPlanned(
    report: { readonly board: string; readonly school: string; readonly reportId: string },
    planned: readonly PlannedDelivery[],
    at: Date,
  ): Promise<void>;
  /**
   * Starts an attempt (→ SENDING, attempts + 1, leased until `at + leaseMs`) on a delivery the lifecycle lets
   * move to SENDING, a SENDING one only once its lease ran out; with `expectedAttempts`, only when it still has
   * that many. null when nothing was claimed.
   */
  claim(
    deliveryId: string,
    expectedAttempts: number | null,
    leaseMs: number,
    at: Date,
  ): Promise<Delivery | null>;
  /** → DELIVERED unless it already is; null when it already was (a re-send after a crash answered again). */
  markDelivered(deliveryId: string, externalRef: string | null, at: Date): Promise<Delivery | null>;
  /** A SENDING delivery → the failure's outcome; null when it was not SENDING. */
  markFailed(deliveryId: string, failure: DeliveryFailure, at: Date): Promise<Delivery | null>;
  /** A replayable delivery of the board → PENDING, attempts reset, due `at`; null when not replayable. */
  reopen(board: string, deliveryId: string, at: Date): Promise<Delivery | null>;
  /**
   * Takes up to `limit` due deliveries (PENDING or RETRY_WAIT due by `at`, SENDING whose lease ran out), oldest
   * due first, skipping those another unit of work holds, and pushes their next look on by `staleAfterMs` (so a
   * lost message is looked at again, not twice at once); their ids and attempts so far.
   */
  takeDue(
    at: Date,
    staleAfterMs: number,
    limit: number,
  ): Promise<{ readonly id: string; readonly attempts: number }[]>;
}

/** Signals as rows: what one evaluation changes (the reports it drafts go through `reports`). */
export interface SignalRows {
  /** Records that `consumer` handled message `key`; false when it already had (a duplicate changes nothing). */
  recordMessage(consumer: string, key: string, at: Date): Promise<boolean>;
  /** Opened signals → OPEN, withdrawn ones → WITHDRAWN with their reason, their DRAFT reports → WITHDRAWN. */
  write(changes: SignalChanges, at: Date): Promise<void>;
}

/** One row of a report's status history. */
export interface StatusHistoryRow {
  readonly board: string;
  readonly reportId: string;
  readonly status: string;
  readonly source: Destination | 'KETENPOORT';
  readonly closingReason?: ClosingReason | null;
  readonly closingExplanation?: ClosingExplanation | null;
  readonly contact?: string | null;
  readonly detail?: string | null;
  /** The `feedback.*` paths released to the school (ADR 0026); absent: not a status from the chain. */
  readonly schoolFields?: readonly string[] | null;
}

/** Reports as rows. */
export interface ReportRows {
  /** The report in any status, board-wide; null when missing. */
  get(board: string, reportId: string): Promise<Report | null>;
  /** The report's status, school and what it supersedes, locked until the unit of work ends; null when missing. */
  lock(
    board: string,
    reportId: string,
  ): Promise<{
    readonly school: string;
    readonly status: ReportStatus;
    readonly supersedes: string | null;
  } | null>;
  /**
   * Sets the status when it ranks higher than the stored one (`REPORT_STATUS_RANK`: a concurrent move is never
   * undone); the chain fields only where given. Whether it moved.
   */
  advance(
    board: string,
    reportId: string,
    status: ReportStatus,
    at: Date,
    chain?: {
      readonly externalRef?: string | null;
      readonly closingReason?: string | null;
      readonly closingExplanation?: string | null;
      readonly contact?: string | null;
    },
  ): Promise<boolean>;
  /** Sets `to` only while the report is at `from` (the one move back, a replay). Whether it moved. */
  reopen(board: string, reportId: string, from: ReportStatus, to: ReportStatus, at: Date): Promise<boolean>;
  /** DRAFT → the decision; null when it is not (any longer) a DRAFT, so two deciders cannot both win. */
  decide(
    board: string,
    reportId: string,
    decision: ReportDecision,
    at: Date,
    today: string,
  ): Promise<Report | null>;
  /** Inserts reports (a live one per signal: a second is left out); the ids and statuses of those inserted. */
  insert(
    reports: readonly NewReport[],
    at: Date,
  ): Promise<{ readonly id: string; readonly board: string; readonly status: ReportStatus }[]>;
  addHistory(rows: readonly StatusHistoryRow[], at: Date): Promise<void>;
}

/** The stores a unit of work hands its work: they share one transaction. */
export interface Stores {
  readonly deliveries: DeliveryRows;
  readonly reports: ReportRows;
  readonly signals: SignalRows;
  readonly audit: { append(entries: readonly NewAuditEntry[], at: Date): Promise<void> };
  readonly outbox: { add(event: OutboxEvent, at: Date): Promise<void> };
}

export const UNIT_OF_WORK = Symbol('UnitOfWork');
export interface UnitOfWork {
  /**
   * Runs `work` in one transaction: it commits when the work resolves and rolls back when it throws. The work
   * touches nothing but `tx` (on the embedded database another connection would wait for this one to commit).
   */
  run<T>(work: (tx: Stores) => Promise<T>): Promise<T>;
}
