export * from './relay-outbox.usecase.js';
