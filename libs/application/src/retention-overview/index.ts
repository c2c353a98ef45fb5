export * from './retention-overview.usecase.js';
