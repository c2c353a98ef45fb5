export * from './test-database.js';
export * from './builders.js';
export * from './wait-for.js';
