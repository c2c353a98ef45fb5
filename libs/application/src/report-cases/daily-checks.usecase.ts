import {
  type Actor,
  type DailyCheckLesson,
  NotFoundError,
  type ReportCaseStore,
  ValidationError,
  requireBoardScope,
} from '#domain';
import { WORKLIST_MAX_PAGE_SIZE } from './worklist.usecase.js';
import { DEFAULT_PAGE_SIZE } from './report-case-view.js';
import { REPORT_CASES_ERRORS } from './report-cases-error-codes.js';

/** The daily-check signals (unchecked lessons, call-backs) folded per lesson: compact and paged. */
export class DailyChecksUseCase {
  constructor(private readonly cases: Pick<ReportCaseStore, 'dailyChecks'>) {}

  async execute(
    actor: Actor,
    query: { readonly school?: string; readonly page?: number; readonly pageSize?: number },
  ): Promise<{ items: DailyCheckLesson[]; total: number; page: number; pageSize: number }> {
    const scope = requireBoardScope(actor, 'read');
    if (query.school !== undefined && scope.schools !== null && !scope.schools.includes(query.school)) {
      throw new NotFoundError(REPORT_CASES_ERRORS.SCHOOL_NOT_FOUND, 'This school is not in your scope');
    }
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? DEFAULT_PAGE_SIZE;
    if (pageSize < 1 || pageSize > WORKLIST_MAX_PAGE_SIZE || page < 1) {
      throw new ValidationError(REPORT_CASES_ERRORS.FILTER_INVALID, 'page is 1 or more, pageSize 1..100', [
        {
          field: 'pageSize',
          code: REPORT_CASES_ERRORS.OUT_OF_RANGE,
          message: `1..${WORKLIST_MAX_PAGE_SIZE}`,
        },
      ]);
    }
    const schools = query.school !== undefined ? [query.school] : scope.schools;
    const { items, total } = await this.cases.dailyChecks(scope.board, schools, {
      limit: pageSize,
      offset: (page - 1) * pageSize,
    });
    return { items, total, page, pageSize };
  }
}
