/** `#messaging/bench`: what only the bench (apps/cli/src/bench) uses, kept out of the public index. */
export { measureRawRabbitMqRate, type RawBrokerRate } from './raw-rate.js';
