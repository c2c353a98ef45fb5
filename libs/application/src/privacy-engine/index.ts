export * from './policy-engine.js';
export * from './policy-in-force.js';
export * from './proof-error.js';
