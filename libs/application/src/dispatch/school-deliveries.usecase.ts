import {
  type Actor,
  type Clock,
  DELIVERY_DUE,
  type Delivery,
  type DeliveryDueV1,
  type DeliveryStatus,
  type DeliveryStore,
  DomainError,
  NotFoundError,
  type NewAuditEntry,
  type NewReport,
  type Pseudonymise,
  type Report,
  type ReportStatusChange,
  ValidationError,
  requireBoardScope,
  schoolHistoryOf,
  requireRole,
  REPLAY_REOPENS,
  type UnitOfWork,
} from '#domain';
import { announceApproval } from '../reports/announce-approval.js';
import { schoolInScope } from '../shared/school-day.js';
import { DISPATCH_ERRORS } from './dispatch-error-codes.js';

const WORK_QUEUE: readonly DeliveryStatus[] = ['REJECTED'];

const DEAD_LETTERS: readonly DeliveryStatus[] = ['DEAD'];

/**
 * School staff's side of delivery: the work queue (REJECTED: a permanent error a person must solve), the
 * dead-letter queue (DEAD: retries exhausted), replay (the privacy decision and the retention check run again
 * on the next attempt, as on every attempt), the report's way through the chain, and follow-ups on a report
 * already out: withdraw it, or give it an end date.
 */
export class SchoolDeliveriesUseCase {
  constructor(
    private readonly store: DeliveryStore,
    private readonly unitOfWork: UnitOfWork,
    private readonly pseudonymise: Pseudonymise,
    private readonly clock: Clock,
    private readonly newId: () => string,
  ) {}

  async queue(actor: Actor, which: 'work' | 'dead-letter'): Promise<{ items: Delivery[] }> {
    const scope = requireBoardScope(actor, 'read');
    const items = await this.store.list({
      board: scope.board,
      schools: scope.schools,
      statuses: which === 'work' ? WORK_QUEUE : DEAD_LETTERS,
      limit: 500,
    });
    return { items };
  }

  async replay(actor: Actor, deliveryId: string): Promise<Delivery> {
    requireRole(actor, ['school_staff'], 'Only school staff replay a delivery');
    const scope = requireBoardScope(actor, 'write');
    const found = await this.store.find(deliveryId);
    if (
      found === null ||
      found.board !== scope.board ||
      (scope.schools && !scope.schools.includes(found.school))
    ) {
      throw new NotFoundError(DISPATCH_ERRORS.DELIVERY_NOT_FOUND, 'No such delivery');
    }
    const report = await this.store.report(found.board, found.reportId);
    const audit: NewAuditEntry = {
      board: scope.board,
      kind: 'REPORT_STATUS',
      entry: {
        reportId: found.reportId,
        ...(report
          ? { pupil: await this.pseudonymise(found.board, report.pupil.localId, report.school) }
          : {}),
        status: REPLAY_REOPENS.note,
        deliveryId,
        destination: found.destination,
        by: actor.subject,
        previous: found.status,
      },
    };
    const at = this.clock.now();
    // The one move back of the lifecycles: the delivery is due again, a REJECTED report is QUEUED again.
    const replayed = await this.unitOfWork.run(async (tx) => {
      const reopened = await tx.deliveries.reopen(scope.board, deliveryId, at);
      if (reopened === null) return null;
      const { reportId } = reopened;
      await tx.reports.reopen(scope.board, reportId, REPLAY_REOPENS.from, REPLAY_REOPENS.to, at);
      await tx.reports.addHistory(
        [{ board: scope.board, reportId, status: REPLAY_REOPENS.note, source: 'KETENPOORT' }],
        at,
      );
      const payload: DeliveryDueV1 = { deliveryId: reopened.id, attempt: 1 };
      await tx.outbox.add(
        {
          ...DELIVERY_DUE,
          idempotencyKey: `${DELIVERY_DUE.type}:${reopened.id}:replay:${at.getTime()}`,
          payload,
        },
        at,
      );
      await tx.audit.append([audit], at);
      return reopened;
    });
    if (replayed === null) {
      throw new DomainError(
        DISPATCH_ERRORS.DELIVERY_NOT_REPLAYABLE,
        'conflict',
        'Only a rejected or dead-lettered delivery can be sent again',
      );
    }
    return replayed;
  }

  /** A report's way: the report, its deliveries and its status history. */
  async way(
    actor: Actor,
    school: string,
    reportId: string,
  ): Promise<{ report: Report; deliveries: Delivery[]; history: ReportStatusChange[] }> {
    const scope = schoolInScope(actor, 'read', school);
    const report = await this.store.report(scope.board, reportId);
    if (report === null || report.school !== school)
      throw new NotFoundError(DISPATCH_ERRORS.REPORT_NOT_FOUND, 'No such report');
    const [deliveries, history] = await Promise.all([
      this.store.ofReport(scope.board, reportId),
      this.store.history(scope.board, reportId),
    ]);
    // The chain's statuses as the privacy engine released them to the school (ADR 0026).
    return { report, deliveries, history: schoolHistoryOf(history) };
  }

  /** Withdraws a report that is out (DUO: Ingetrokken): a WITHDRAWAL report, approved at once by this person. */
  withdraw(actor: Actor, school: string, reportId: string): Promise<{ id: string }> {
    return this.followUp(actor, school, reportId, 'WITHDRAWAL', null);
  }

  /** Gives a report that is out its end date (mandatory for 16-uur, LRV and RMC reports once known). */
  endDate(actor: Actor, school: string, reportId: string, end: ReportEndDate): Promise<{ id: string }> {
    return this.followUp(actor, school, reportId, 'CORRECTION', end.endDate);
  }

  private async followUp(
    actor: Actor,
    school: string,
    reportId: string,
    action: 'WITHDRAWAL' | 'CORRECTION',
    endDate: string | null,
  ): Promise<{ id: string }> {
    requireRole(actor, ['school_staff'], 'Only school staff change a report that is out');
    const scope = schoolInScope(actor, 'write', school);
    const report = await this.store.report(scope.board, reportId);
    if (report === null || report.school !== school)
      throw new NotFoundError(DISPATCH_ERRORS.REPORT_NOT_FOUND, 'No such report');
    const out =
      ['SENT', 'REGISTERED', 'IN_BEHANDELING'].includes(report.status) && report.action === 'REPORT';
    if (!out) {
      throw new DomainError(
        DISPATCH_ERRORS.REPORT_NOT_OUT,
        'conflict',
        'Only a first report that was sent and is not closed can be withdrawn or given an end date',
      );
    }
    const begin = report.fields['absence.beginDate'];
    if (endDate !== null && typeof begin === 'string' && endDate < begin) {
      throw new ValidationError(DISPATCH_ERRORS.END_DATE_INVALID, 'The end date lies before the begin date', [
        { field: 'endDate', code: DISPATCH_ERRORS.BEFORE_BEGIN, message: `on or after ${begin}` },
      ]);
    }
    const now = this.clock.now();
    const id = this.newId();
    const followUp: NewReport = {
      id,
      kind: report.kind,
      status: 'APPROVED',
      fields: endDate === null ? report.fields : { ...report.fields, 'absence.endDate': endDate },
      action,
      supersedes: report.id,
      board: report.board,
      school: report.school,
      pupil: report.pupil,
      signalId: report.signalId,
      rule: report.rule,
      mandatory: report.mandatory,
      deadline: null,
      decidedBy: actor.subject,
      decidedAt: now.toISOString(),
      dismissReason: null,
    };
    // Approved at once by this person: stored and announced in one unit of work.
    await this.unitOfWork.run(async (tx) => {
      const inserted = await tx.reports.insert([followUp], now);
      await announceApproval(
        tx,
        inserted.filter((row) => row.status === 'APPROVED'),
        actor.subject,
        now,
      );
    });
    return { id };
  }
}

/** The end date school staff add to a report that is out (`POST …/end-date`). */
export interface ReportEndDate {
  readonly endDate: string;
}

/** An end-date body `{ endDate: YYYY-MM-DD }`; else `END_DATE_INVALID`. */
export function parseReportEndDate(body: unknown): ReportEndDate {
  const endDate =
    typeof body === 'object' && body !== null ? (body as Record<string, unknown>)['endDate'] : undefined;
  if (
    typeof endDate !== 'string' ||
    !/^\d{4}-\d{2}-\d{2}$/.test(endDate) ||
    Number.isNaN(Date.parse(endDate))
  ) {
    throw new ValidationError(DISPATCH_ERRORS.END_DATE_INVALID, 'The end date was refused', [
      { field: 'endDate', code: DISPATCH_ERRORS.INVALID_DATE, message: 'a date YYYY-MM-DD' },
    ]);
  }
  return { endDate };
}
