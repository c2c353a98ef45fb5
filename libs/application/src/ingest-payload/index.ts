export * from './ingest-payload.usecase.js';
export * from './resolve-school.js';
export * from './coverage.js';
