export * from './broker.transport.js';
export * from './broker.client.js';
export * from './worker.consumers.js';
export * from './worker.microservice.js';
