export * from './browse-audit-log.usecase.js';
