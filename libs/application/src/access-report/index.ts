export * from './access-report.usecase.js';
export * from './access-report.html.js';
