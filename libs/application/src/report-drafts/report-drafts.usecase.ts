import {
  type Actor,
  type Clock,
  DomainError,
  ForbiddenError,
  NotFoundError,
  REPORT_STATUSES,
  type ReportDraft,
  type ReportDraftStore,
  type ReportStatus,
  type SchoolSettings,
  type SchoolSettingsStore,
  ValidationError,
  requireBoardScope,
} from '#domain';
import { schoolToday } from '../signals/evaluate-signals.usecase.js';
import { schoolInScope } from '../signals/school-scope.js';

/** A school's reports and drafts, newest first; `overdue` is measured with the injected clock. */
export class ListReportsUseCase {
  constructor(
    private readonly reports: Pick<ReportDraftStore, 'list'>,
    private readonly clock: Clock,
  ) {}

  async execute(
    actor: Actor,
    school: string,
    filter: { status?: string; overdue?: string },
  ): Promise<{ items: ReportDraft[] }> {
    const scope = schoolInScope(actor, 'read', school);
    if (filter.status !== undefined && !(REPORT_STATUSES as readonly string[]).includes(filter.status)) {
      throw new ValidationError('FILTER_INVALID', 'Unknown report status', [
        { field: 'status', code: 'UNKNOWN_STATUS', message: `one of ${REPORT_STATUSES.join(', ')}` },
      ]);
    }
    if (filter.overdue !== undefined && filter.overdue !== 'true' && filter.overdue !== 'false') {
      throw new ValidationError('FILTER_INVALID', 'overdue is true or false', [
        { field: 'overdue', code: 'INVALID_BOOLEAN', message: 'true or false' },
      ]);
    }
    const items = await this.reports.list(scope, {
      today: schoolToday(this.clock.now()),
      ...(filter.status ? { status: filter.status as ReportStatus } : {}),
      ...(filter.overdue ? { overdue: filter.overdue === 'true' } : {}),
    });
    return { items };
  }
}

const MAX_REASON = 1000;

/** School staff approve a DRAFT, or dismiss it with a reason; anything but a DRAFT is a coded 409. */
export class DecideReportUseCase {
  constructor(
    private readonly reports: Pick<ReportDraftStore, 'get' | 'decide'>,
    private readonly clock: Clock,
  ) {}

  approve(actor: Actor, id: string): Promise<ReportDraft> {
    return this.decide(actor, id, 'APPROVED', null);
  }

  dismiss(actor: Actor, id: string, body: unknown): Promise<ReportDraft> {
    const reason =
      typeof body === 'object' && body !== null ? (body as Record<string, unknown>)['reason'] : undefined;
    if (typeof reason !== 'string' || reason.trim() === '' || reason.length > MAX_REASON) {
      throw new ValidationError('REASON_REQUIRED', 'Dismissing a draft needs a reason', [
        { field: 'reason', code: 'REASON_REQUIRED', message: `a text of 1..${MAX_REASON} characters` },
      ]);
    }
    return this.decide(actor, id, 'DISMISSED', reason.trim());
  }

  private async decide(
    actor: Actor,
    id: string,
    status: 'APPROVED' | 'DISMISSED',
    reason: string | null,
  ): Promise<ReportDraft> {
    if (actor.role !== 'school_staff') {
      throw new ForbiddenError('ROLE_NOT_ALLOWED', 'Only school staff approve or dismiss reports');
    }
    const scope = requireBoardScope(actor, 'write');
    const now = this.clock.now();
    const today = schoolToday(now);
    const found = await this.reports.get(scope.board, scope.schools, id, today);
    if (found === null) throw new NotFoundError('REPORT_NOT_FOUND', 'No such report');
    const notDraft = (): DomainError =>
      new DomainError(
        'REPORT_NOT_DRAFT',
        'conflict',
        'Only a report in status DRAFT can be approved or dismissed',
      );
    if (found.status !== 'DRAFT') throw notDraft();
    const decided = await this.reports.decide(
      scope.board,
      id,
      { status, by: actor.subject, reason },
      now,
      today,
    );
    if (decided === null) throw notDraft();
    return decided;
  }
}

/** Per-school settings of the signal side (auto-approval of mandatory drafts). */
export class SchoolSettingsUseCase {
  constructor(
    private readonly settings: SchoolSettingsStore,
    private readonly clock: Clock,
  ) {}

  async get(actor: Actor, school: string): Promise<SchoolSettings> {
    const scope = schoolInScope(actor, 'read', school);
    return this.settings.get(scope.board, school);
  }

  async put(actor: Actor, school: string, body: unknown): Promise<SchoolSettings> {
    if (actor.role !== 'school_staff') {
      throw new ForbiddenError('ROLE_NOT_ALLOWED', 'Only school staff change school settings');
    }
    const scope = schoolInScope(actor, 'write', school);
    const value =
      typeof body === 'object' && body !== null
        ? (body as Record<string, unknown>)['autoApproveMandatory']
        : undefined;
    const unknown =
      typeof body === 'object' && body !== null
        ? Object.keys(body).filter((k) => k !== 'autoApproveMandatory')
        : [];
    if (typeof value !== 'boolean' || unknown.length > 0) {
      throw new ValidationError('SETTINGS_INVALID', 'The school settings were refused', [
        ...(typeof value !== 'boolean'
          ? [{ field: 'autoApproveMandatory', code: 'INVALID_BOOLEAN', message: 'true or false' }]
          : []),
        ...unknown.map((k) => ({ field: k, code: 'UNKNOWN_FIELD', message: 'not a school setting' })),
      ]);
    }
    return this.settings.save(
      scope.board,
      { school, autoApproveMandatory: value, updatedBy: actor.subject },
      this.clock.now(),
    );
  }
}
