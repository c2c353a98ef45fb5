export * from './put-bell-schedule.usecase.js';
export * from './get-bell-schedule.usecase.js';
