export * from './policy-engine.js';
export * from './policy-in-force.js';
