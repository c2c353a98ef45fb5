export * from './report-drafts.usecase.js';
