export * from './normalise-payload.usecase.js';
