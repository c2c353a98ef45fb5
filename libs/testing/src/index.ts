export * from './test-database.js';
export * from './builders.js';
export * from './wait-for.js';
export * from './fake-school-api.js';
export * from './policy-texts.js';
export * from './signal-scenarios.js';
export * from './outbound.js';
export * from './in-memory-unit-of-work.js';
