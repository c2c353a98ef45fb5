export * from './run-retention.usecase.js';
