export * from './processing-register.usecase.js';
