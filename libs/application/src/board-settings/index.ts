export * from './board-settings.usecase.js';
