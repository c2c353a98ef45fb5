export * from './decide-disclosure.usecase.js';
