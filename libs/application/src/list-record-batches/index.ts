export * from './list-record-batches.usecase.js';
