export {
  type CaseActionResult,
  DailyChecksUseCase,
  type ReportCaseDetail,
  type ReportCaseView,
  ReportCaseUseCase,
  WORKLIST_MAX_PAGE_SIZE,
  type Worklist,
  type WorklistQuery,
  type WorklistRow,
  WorklistUseCase,
  reportsAwaitingEndDate,
} from './report-cases.usecase.js';
