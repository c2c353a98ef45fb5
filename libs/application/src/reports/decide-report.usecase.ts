import {
  type Actor,
  type Clock,
  DomainError,
  NotFoundError,
  type Report,
  type ReportStore,
  type UnitOfWork,
  ValidationError,
  afterDismissed,
  requireBoardScope,
  requireRole,
} from '#domain';
import { announceApproval } from './announce-approval.js';
import { schoolToday } from '../shared/school-day.js';
import { REPORTS_ERRORS } from './reports-error-codes.js';

const MAX_REASON = 1000;

/** Why school staff dismiss a draft (`POST /v1/reports/{id}/dismiss`). */
export interface ReportDismissal {
  readonly reason: string;
}

/** A dismissal body `{ reason }`: a text of 1..1000 characters, trimmed; else `REASON_REQUIRED`. */
export function parseReportDismissal(body: unknown): ReportDismissal {
  const reason =
    typeof body === 'object' && body !== null ? (body as Record<string, unknown>)['reason'] : undefined;
  if (typeof reason !== 'string' || reason.trim() === '' || reason.length > MAX_REASON) {
    throw new ValidationError(REPORTS_ERRORS.REASON_REQUIRED, 'Dismissing a draft needs a reason', [
      {
        field: 'reason',
        code: REPORTS_ERRORS.REASON_REQUIRED,
        message: `a text of 1..${MAX_REASON} characters`,
      },
    ]);
  }
  return { reason: reason.trim() };
}

/**
 * School staff approve a DRAFT, or dismiss it with a reason; anything but a DRAFT is a coded 409. The decision, and
 * what it announces (an approval: the REPORT_APPROVED event, history and audit, as the report lifecycle says) or
 * audits (a dismissal), commit in one unit of work (ADR 0032); a second approval finds no DRAFT and announces nothing.
 */
export class DecideReportUseCase {
  constructor(
    private readonly reports: Pick<ReportStore, 'get'>,
    private readonly unitOfWork: UnitOfWork,
    private readonly clock: Clock,
  ) {}

  approve(actor: Actor, id: string): Promise<Report> {
    return this.decide(actor, id, 'APPROVED', null);
  }

  dismiss(actor: Actor, id: string, dismissal: ReportDismissal): Promise<Report> {
    return this.decide(actor, id, 'DISMISSED', dismissal.reason);
  }

  private async decide(
    actor: Actor,
    id: string,
    status: 'APPROVED' | 'DISMISSED',
    reason: string | null,
  ): Promise<Report> {
    requireRole(actor, ['school_staff'], 'Only school staff approve or dismiss reports');
    const scope = requireBoardScope(actor, 'write');
    const now = this.clock.now();
    const today = schoolToday(now);
    const found = await this.reports.get(scope.board, scope.schools, id, today);
    if (found === null) throw new NotFoundError(REPORTS_ERRORS.REPORT_NOT_FOUND, 'No such report');
    const notDraft = (): DomainError =>
      new DomainError(
        REPORTS_ERRORS.REPORT_NOT_DRAFT,
        'conflict',
        'Only a report in status DRAFT can be approved or dismissed',
      );
    if (found.status !== 'DRAFT') throw notDraft();
    const by = actor.subject;
    const decided = await this.unitOfWork.run(async (tx) => {
      const row = await tx.reports.decide(scope.board, id, { status, by, reason }, now, today);
      if (row === null) return null;
      if (row.status === 'APPROVED') await announceApproval(tx, [row], by, now);
      else await tx.audit.append([afterDismissed(row, by)], now);
      return row;
    });
    if (decided === null) throw notDraft();
    return decided;
  }
}
