export * from './get-record-batch.usecase.js';
