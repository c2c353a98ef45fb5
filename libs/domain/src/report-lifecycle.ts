import type { NewAuditEntry } from './audit.js';
import {
  type DeliveryFailureOutcome,
  type DeliveryOperation,
  type DeliveryStatus,
  type Destination,
  REPORT_APPROVED,
  type ReportApprovedV1,
} from './delivery.js';
import type { OutboxEvent } from './ports.js';
import type { ReportStatus } from './report.js';

// The report and delivery lifecycles (contracts §7, ADR 0011): which moves are allowed and what a delivery's
// outcome does to the reports it concerns. Repositories execute these decisions; they do not make them.

/**
 * Where a report status stands in its lifecycle. A report only moves to a status of a higher rank: a late or
 * repeated status from the chain (DUO's feed answering again, a status older than the officer's) never moves it
 * back. SENT and REJECTED share a rank: both follow QUEUED, and neither replaces the other.
 */
export const REPORT_STATUS_RANK: Readonly<Record<ReportStatus, number>> = {
  DRAFT: 0,
  APPROVED: 1,
  QUEUED: 2,
  SENT: 3,
  REJECTED: 3,
  REGISTERED: 4,
  IN_BEHANDELING: 5,
  AFGESLOTEN: 6,
  TER_KENNISGEVING_AANGENOMEN: 6,
  WITHDRAWN: 7,
  DISMISSED: 8,
};

/** Whether a report at `from` may move forward to `to` (a higher rank). An unknown status ranks as DRAFT. */
export function reportMayAdvance(from: string, to: string): boolean {
  return rankOf(to) > rankOf(from);
}

function rankOf(status: string): number {
  return (REPORT_STATUS_RANK as Readonly<Record<string, number>>)[status] ?? 0;
}

/**
 * The delivery lifecycle: PENDING → SENDING → DELIVERED, or → RETRY_WAIT → SENDING again, or → REJECTED / DEAD,
 * from which a person may replay it (→ PENDING). A SENDING delivery whose lease ran out is claimed again
 * (SENDING → SENDING). SKIPPED and DELIVERED are final.
 */
export const DELIVERY_MOVES: Readonly<Record<DeliveryStatus, readonly DeliveryStatus[]>> = {
  PENDING: ['SENDING'],
  SENDING: ['SENDING', 'DELIVERED', 'RETRY_WAIT', 'REJECTED', 'DEAD'],
  RETRY_WAIT: ['SENDING'],
  DELIVERED: [],
  REJECTED: ['PENDING'],
  DEAD: ['PENDING'],
  SKIPPED: [],
};

export function deliveryMayMove(from: DeliveryStatus, to: DeliveryStatus): boolean {
  return DELIVERY_MOVES[from].includes(to);
}

/** Statuses in a report's history that are not report statuses: what happened beside the lifecycle. */
export type ReportHistoryNote = 'UPDATED' | 'DEAD_LETTERED' | 'REPLAYED';

/**
 * One consequence of a delivery's outcome for a report: `advance` moves the report forward (and is written to
 * its history only when it moved); `note` is written to the history as it is.
 */
export type ReportConsequence =
  | {
      readonly kind: 'advance';
      readonly reportId: string;
      readonly status: ReportStatus;
      /** DUO's report number, kept on the report it registered. */
      readonly externalRef?: string | null;
      readonly detail?: string | null;
      /** Not written to the history even when it moved: a `note` beside it tells the story. */
      readonly quiet?: true;
    }
  | {
      readonly kind: 'note';
      readonly reportId: string;
      readonly status: ReportHistoryNote | ReportStatus;
      readonly detail: string | null;
    };

/**
 * What a delivered message does to the reports: the report the delivery sends takes the destination's answer
 * (a first report) or becomes REGISTERED (a correction or withdrawal, which the destination took in); a withdrawal
 * withdraws the report it supersedes; a correction notes UPDATED on it. DUO's report number is kept on a first
 * report only.
 */
export function afterDelivered(delivery: {
  readonly reportId: string;
  readonly operation: DeliveryOperation;
  readonly destination: Destination;
  /** The report this one corrects or withdraws; null for a first report. */
  readonly supersedes: string | null;
  readonly result: {
    readonly externalRef: string | null;
    readonly status: 'SENT' | 'REGISTERED' | 'WITHDRAWN';
  };
}): ReportConsequence[] {
  const { reportId, operation, destination, supersedes, result } = delivery;
  const externalRef = operation === 'REGISTER' && destination === 'DUO' ? result.externalRef : null;
  const own: ReportConsequence = {
    kind: 'advance',
    reportId,
    status: operation === 'REGISTER' ? result.status : 'REGISTERED',
    externalRef,
    detail: externalRef,
  };
  if (supersedes === null || operation === 'REGISTER') return [own];
  if (operation === 'WITHDRAW') return [own, { kind: 'advance', reportId: supersedes, status: 'WITHDRAWN' }];
  return [own, { kind: 'note', reportId: supersedes, status: 'UPDATED', detail: `correctie ${reportId}` }];
}

/**
 * What a failed attempt does to the report: a retry changes nothing the school sees; a permanent error rejects
 * the report (into the school's work queue); exhausted retries note DEAD_LETTERED (the report waits where it is).
 */
export function afterFailed(failure: {
  readonly reportId: string;
  readonly outcome: DeliveryFailureOutcome;
  readonly code: string;
  readonly reason: string;
}): ReportConsequence[] {
  if (failure.outcome === 'RETRY_WAIT') return [];
  const detail = `${failure.code}: ${failure.reason}`.slice(0, 2000);
  if (failure.outcome === 'REJECTED') {
    return [
      { kind: 'advance', reportId: failure.reportId, status: 'REJECTED', quiet: true },
      { kind: 'note', reportId: failure.reportId, status: 'REJECTED', detail },
    ];
  }
  return [{ kind: 'note', reportId: failure.reportId, status: 'DEAD_LETTERED', detail }];
}

/**
 * What planning an APPROVED report's deliveries does to it: QUEUED, or REJECTED when it cannot go anywhere (no
 * route, a policy that releases nothing) — written to its history either way. A report in any other status is not
 * planned again (a redelivered approval changes nothing).
 */
export function afterPlanned(
  report: { readonly reportId: string; readonly status: string },
  rejected?: { readonly code: string; readonly reason: string },
): ReportConsequence[] {
  if (report.status !== 'APPROVED') return [];
  const status = rejected ? 'REJECTED' : 'QUEUED';
  return [
    { kind: 'advance', reportId: report.reportId, status, quiet: true },
    {
      kind: 'note',
      reportId: report.reportId,
      status,
      detail: rejected ? `${rejected.code}: ${rejected.reason}` : null,
    },
  ];
}

/**
 * The one move back: a person replays a REJECTED (or dead) delivery, and a REJECTED report returns to QUEUED with
 * REPLAYED in its history. Nothing else reopens a report.
 */
export const REPLAY_REOPENS = { from: 'REJECTED', to: 'QUEUED', note: 'REPLAYED' } as const satisfies {
  readonly from: ReportStatus;
  readonly to: ReportStatus;
  readonly note: ReportHistoryNote;
};

/**
 * What an approval announces, whoever approved (a staff subject, or `auto-approve` for a report approved as it was
 * made): the REPORT_APPROVED event for the dispatcher (keyed on the report, so the outbox holds it once), the
 * APPROVED history row and the REPORT_STATUS audit entry naming who approved. Written in the approval's transaction.
 */
export function afterApproved(
  report: { readonly id: string; readonly board: string },
  by: string,
): {
  readonly event: OutboxEvent<ReportApprovedV1>;
  readonly history: { readonly board: string; readonly reportId: string; readonly status: 'APPROVED' };
  readonly audit: NewAuditEntry;
} {
  return {
    event: {
      ...REPORT_APPROVED,
      idempotencyKey: `${REPORT_APPROVED.type}:${report.id}`,
      payload: { board: report.board, reportId: report.id },
    },
    history: { board: report.board, reportId: report.id, status: 'APPROVED' },
    audit: {
      board: report.board,
      kind: 'REPORT_STATUS',
      entry: { reportId: report.id, status: 'APPROVED', source: 'KETENPOORT', by },
    },
  };
}

/** What a dismissal audits (it announces nothing: a dismissed report goes nowhere). */
export function afterDismissed(
  report: { readonly id: string; readonly board: string },
  by: string,
): NewAuditEntry {
  return {
    board: report.board,
    kind: 'REPORT_STATUS',
    entry: { reportId: report.id, status: 'DISMISSED', source: 'KETENPOORT', by },
  };
}
