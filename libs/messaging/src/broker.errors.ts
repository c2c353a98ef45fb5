import { UnavailableError, isDomainError } from '#domain';

/** Stable codes of the errors the brokers raise. All publish failures are retryable (UnavailableError). */
export const BrokerErrorCode = {
  /** Not connected (yet, any more, or closed): the caller should retry later. */
  Unavailable: 'BROKER_UNAVAILABLE',
  /** No queue is bound for the routing key; with `onUnroutable: 'reject'` the message is refused. */
  Unroutable: 'BROKER_UNROUTABLE',
  /** The broker refused the message (negative publisher confirm). */
  Nacked: 'BROKER_NACKED',
  /** No publisher confirm arrived within the publish timeout. */
  PublishTimeout: 'BROKER_PUBLISH_TIMEOUT',
} as const;
export type BrokerErrorCode = (typeof BrokerErrorCode)[keyof typeof BrokerErrorCode];

export const brokerUnavailable = (message = 'The message broker is not available.'): UnavailableError =>
  new UnavailableError(BrokerErrorCode.Unavailable, message);

/** What to do with a message that matches no queue: refuse it (retryable) or drop it like AMQP does. */
export type UnroutablePolicy = 'reject' | 'drop';

/** Why a message went to the dead letters. */
export type DeadLetterReason =
  /** A handler threw a DomainError that is not retryable. */
  | 'rejected'
  /** A handler kept failing (retryable or unknown error) until maxDeliveries was reached. */
  | 'delivery-limit'
  /** The message body was not a valid envelope (RabbitMQ only). */
  | 'invalid';

/** Code recorded for a handler failure that is not a DomainError. */
export const UNEXPECTED_HANDLER_ERROR = 'UNEXPECTED_HANDLER_ERROR';

export interface HandlerFailure {
  /** `reject`: dead-letter now; `retry`: redeliver while deliveries remain. */
  readonly action: 'reject' | 'retry';
  readonly errorCode: string;
}

/** The broker policy: a DomainError with `retryable: false` is final; everything else may succeed later. */
export function classifyHandlerFailure(error: unknown): HandlerFailure {
  if (isDomainError(error)) {
    return { action: error.retryable ? 'retry' : 'reject', errorCode: error.code };
  }
  return { action: 'retry', errorCode: UNEXPECTED_HANDLER_ERROR };
}

export const DEFAULT_MAX_DELIVERIES = 5;
export const DEFAULT_RETRY_BACKOFF_MS = 10;

export function validateMaxDeliveries(value: number): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError('maxDeliveries must be an integer of at least 1');
  }
  return value;
}
