export * from './submit-record-batch/index.js';
export * from './get-record-batch/index.js';
export * from './list-record-batches/index.js';
export * from './process-record-batch/index.js';
export * from './relay-outbox/index.js';
