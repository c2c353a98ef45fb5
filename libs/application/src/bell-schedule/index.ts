export * from './bell-schedule.usecase.js';
