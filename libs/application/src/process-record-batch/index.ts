export * from './process-record-batch.usecase.js';
