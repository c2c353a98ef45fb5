export * from './policy-engine.js';
