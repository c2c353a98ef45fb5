export * from './logger.js';
export * from './infrastructure.js';
export * from './outbox-relay.loop.js';
export * from './records.consumer.js';
export * from './adapter-registry.js';
export * from './pull-scheduler.js';
export * from './retention.schedule.js';
export * from './signal-services.js';
