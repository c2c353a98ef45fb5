export * from './submit-record-batch.command.js';
export * from './submit-record-batch.usecase.js';
