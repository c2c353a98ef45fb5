export * from './list-quarantine.usecase.js';
