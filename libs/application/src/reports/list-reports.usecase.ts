import {
  type Actor,
  type Clock,
  REPORT_STATUSES,
  type Report,
  type ReportStore,
  type ReportStatus,
  ValidationError,
} from '#domain';
import { schoolInScope, schoolToday } from '../shared/school-day.js';
import { REPORTS_ERRORS } from './reports-error-codes.js';

/** A school's reports and drafts, newest first; `overdue` is measured with the injected clock. */
export class ListReportsUseCase {
  constructor(
    private readonly reports: Pick<ReportStore, 'list'>,
    private readonly clock: Clock,
  ) {}

  async execute(
    actor: Actor,
    school: string,
    filter: { status?: string; overdue?: string },
  ): Promise<{ items: Report[] }> {
    const scope = schoolInScope(actor, 'read', school);
    if (filter.status !== undefined && !(REPORT_STATUSES as readonly string[]).includes(filter.status)) {
      throw new ValidationError(REPORTS_ERRORS.FILTER_INVALID, 'Unknown report status', [
        {
          field: 'status',
          code: REPORTS_ERRORS.UNKNOWN_STATUS,
          message: `one of ${REPORT_STATUSES.join(', ')}`,
        },
      ]);
    }
    if (filter.overdue !== undefined && filter.overdue !== 'true' && filter.overdue !== 'false') {
      throw new ValidationError(REPORTS_ERRORS.FILTER_INVALID, 'overdue is true or false', [
        { field: 'overdue', code: REPORTS_ERRORS.INVALID_BOOLEAN, message: 'true or false' },
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
