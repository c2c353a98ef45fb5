export * from './verify-audit-chain.usecase.js';
