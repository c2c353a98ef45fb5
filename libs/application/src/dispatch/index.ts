export * from './retry-schedule.js';
export * from './plan-deliveries.js';
export * from './dispatch-delivery.usecase.js';
export * from './chain-status.usecase.js';
export * from './disclosure-request.js';
export * from './school-feedback.js';
