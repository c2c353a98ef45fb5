export * from './preview-report.usecase.js';
