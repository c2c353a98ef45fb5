export { InProcessBroker, type InProcessBrokerOptions, type DeadLetter } from './in-process.broker.js';
export {
  RabbitMqBroker,
  deleteRabbitMqTopology,
  RABBITMQ_DEFAULTS,
  MessageHeaders,
  type RabbitMqBrokerOptions,
} from './rabbitmq.broker.js';
export {
  BrokerErrorCode,
  UNEXPECTED_HANDLER_ERROR,
  classifyHandlerFailure,
  type DeadLetterReason,
  type HandlerFailure,
  type UnroutablePolicy,
} from './broker.errors.js';
export { silentBrokerLogger, type BrokerLogger } from './broker.logger.js';
export {
  ENVELOPE_NOT_SERIALISABLE,
  INVALID_ENVELOPE,
  decodeEnvelope,
  encodeEnvelope,
  isEnvelope,
} from './envelope.codec.js';
export { matchesTopicPattern } from './topic-pattern.util.js';
