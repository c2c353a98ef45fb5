export * from './list-reports.usecase.js';
export * from './decide-report.usecase.js';
export * from './school-settings.usecase.js';
export { storeDraftedReports } from './announce-approval.js';
