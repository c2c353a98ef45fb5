export * from './pull-source.usecase.js';
