export * from './analyse-absence.usecase.js';
