export * from './validate-policy.usecase.js';
