export * from './put-reason-mapping.usecase.js';
