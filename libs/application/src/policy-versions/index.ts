export * from './policy-versions.usecase.js';
