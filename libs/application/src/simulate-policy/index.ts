export * from './simulate-policy.usecase.js';
