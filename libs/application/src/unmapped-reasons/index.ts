export * from './unmapped-reasons.usecase.js';
