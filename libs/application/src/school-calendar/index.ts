export * from './parse-school-calendar.js';
export * from './school-calendar.usecase.js';
