export { DailyChecksUseCase } from './daily-checks.usecase.js';
export { type ReportCaseView } from './report-case-view.js';
export {
  type CaseActionResult,
  type ReportCaseDetail,
  ReportCaseUseCase,
  reportsAwaitingEndDate,
} from './report-case.usecase.js';
export {
  WORKLIST_MAX_PAGE_SIZE,
  type Worklist,
  type WorklistQuery,
  type WorklistRow,
  WorklistUseCase,
} from './worklist.usecase.js';
