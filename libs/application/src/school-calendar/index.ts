export * from './parse-school-calendar.js';
export * from './put-school-calendar.usecase.js';
export * from './get-school-calendar.usecase.js';
