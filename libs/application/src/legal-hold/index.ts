export * from './legal-hold.usecase.js';
