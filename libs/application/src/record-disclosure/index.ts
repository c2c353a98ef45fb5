export * from './record-disclosure.usecase.js';
