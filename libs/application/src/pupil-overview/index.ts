export * from './pupil-overview.usecase.js';
