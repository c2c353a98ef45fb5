export * from './get-reason-mapping.usecase.js';
