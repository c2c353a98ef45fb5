import {
  UnavailableError,
  routingKeyOf,
  type Envelope,
  type HealthCheck,
  type MessageConsumer,
  type MessageHandler,
  type MessagePublisher,
  type Subscription,
} from '#domain';
import {
  BrokerErrorCode,
  DEFAULT_MAX_DELIVERIES,
  DEFAULT_RETRY_BACKOFF_MS,
  brokerUnavailable,
  classifyHandlerFailure,
  validateMaxDeliveries,
  type DeadLetterReason,
  type UnroutablePolicy,
} from './broker.errors.js';
import { silentBrokerLogger, type BrokerLogger } from './broker.logger.js';
import { decodeEnvelope, encodeEnvelope } from './envelope.codec.js';
import { matchesAnyTopicPattern } from './topic-pattern.util.js';

export interface InProcessBrokerOptions {
  /** Deliveries per queue copy before a failing message is dead-lettered (default 5). */
  readonly maxDeliveries?: number;
  /** Redelivery n waits `retryBackoffMs * n` ms (default 10). */
  readonly retryBackoffMs?: number;
  /**
   * A message that matches no declared queue: `reject` (default) makes `publish` reject with the
   * retryable `BROKER_UNROUTABLE`, so an outbox relay keeps the row and tries again; `drop` resolves and
   * discards it, as a plain AMQP exchange would.
   */
  readonly onUnroutable?: UnroutablePolicy;
  readonly logger?: BrokerLogger;
}

/** A message that could not be processed, kept in memory for inspection. */
export interface DeadLetter {
  /** The envelope as published (envelopes carry references, not personal data). */
  readonly envelope: Envelope;
  readonly queue: string;
  readonly reason: DeadLetterReason;
  /** The code of the last handler error (`UNEXPECTED_HANDLER_ERROR` for errors that are not DomainErrors). */
  readonly errorCode: string;
  /** How often the message was handed to a handler. */
  readonly deliveries: number;
  readonly deadLetteredAt: Date;
}

interface Consumer {
  readonly handler: MessageHandler;
}

interface Delivery {
  /** The envelope's JSON text; every delivery parses its own copy, as over a real broker. */
  readonly body: string;
  readonly queue: QueueState;
  deliveries: number;
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
}

interface QueueState {
  readonly name: string;
  readonly bindings: Set<string>;
  readonly consumers: Consumer[];
  nextConsumer: number;
  /** Deliveries waiting for a consumer (FIFO). */
  readonly ready: Delivery[];
}

/**
 * The embedded-mode broker: topic routing, durable-queue semantics and redelivery in memory, no server.
 * `publish` is the confirm: it resolves once every queue copy of the message was processed successfully or
 * dead-lettered, so an outbox row is marked published only after the work is done.
 */
export class InProcessBroker implements MessagePublisher, MessageConsumer {
  private readonly queues = new Map<string, QueueState>();
  private readonly dead: DeadLetter[] = [];
  private readonly timers = new Set<{ timer: NodeJS.Timeout; delivery: Delivery }>();
  private readonly maxDeliveries: number;
  private readonly retryBackoffMs: number;
  private readonly onUnroutable: UnroutablePolicy;
  private readonly logger: BrokerLogger;
  private closed = false;

  constructor(options: InProcessBrokerOptions = {}) {
    this.maxDeliveries = validateMaxDeliveries(options.maxDeliveries ?? DEFAULT_MAX_DELIVERIES);
    this.retryBackoffMs = Math.max(0, options.retryBackoffMs ?? DEFAULT_RETRY_BACKOFF_MS);
    this.onUnroutable = options.onUnroutable ?? 'reject';
    this.logger = options.logger ?? silentBrokerLogger;
  }

  async publish(envelope: Envelope): Promise<void> {
    if (this.closed) throw brokerUnavailable('The in-process broker is closed.');
    const body = encodeEnvelope(envelope);
    const routingKey = routingKeyOf(envelope);
    const targets = [...this.queues.values()].filter((queue) =>
      matchesAnyTopicPattern(queue.bindings, routingKey),
    );
    if (targets.length === 0) {
      this.logger.warn(
        { code: BrokerErrorCode.Unroutable, routingKey, messageId: envelope.messageId },
        'message matches no queue',
      );
      if (this.onUnroutable === 'reject') {
        throw new UnavailableError(BrokerErrorCode.Unroutable, `No queue is bound for ${routingKey}.`);
      }
      return;
    }
    await Promise.all(
      targets.map(
        (queue) =>
          new Promise<void>((resolve, reject) => {
            queue.ready.push({ body, queue, deliveries: 0, resolve, reject });
            this.dispatch(queue);
          }),
      ),
    );
  }

  /** Creates the queue (if needed) and binds the routing keys, so messages are kept until a consumer comes. */
  declareQueue(queue: string, routingKeys: readonly string[]): void {
    if (this.closed) throw brokerUnavailable('The in-process broker is closed.');
    if (queue.length === 0) throw new RangeError('queue name must not be empty');
    let state = this.queues.get(queue);
    if (!state) {
      state = { name: queue, bindings: new Set(), consumers: [], nextConsumer: 0, ready: [] };
      this.queues.set(queue, state);
    }
    for (const key of routingKeys) state.bindings.add(key);
  }

  /** Declares the queue and adds a consumer; several subscriptions to one queue compete for its messages. */
  subscribe(subscription: Subscription): Promise<void> {
    // A throw inside the executor (closed broker, empty queue name) becomes the rejection.
    return new Promise<void>((resolve) => {
      this.declareQueue(subscription.queue, subscription.routingKeys);
      const state = this.queues.get(subscription.queue)!;
      state.consumers.push({ handler: subscription.handler });
      this.dispatch(state);
      resolve();
    });
  }

  /** A snapshot of the dead-lettered messages, oldest first. */
  deadLetters(): readonly DeadLetter[] {
    return [...this.dead];
  }

  healthCheck(): HealthCheck {
    return {
      name: 'broker',
      check: () =>
        this.closed
          ? Promise.reject(brokerUnavailable('The in-process broker is closed.'))
          : Promise.resolve(),
    };
  }

  isConnected(): boolean {
    return !this.closed;
  }

  /**
   * Stops delivering. Messages still waiting for a consumer or a redelivery make their `publish` reject with
   * the retryable `BROKER_UNAVAILABLE`, so their outbox rows stay unpublished; handlers already running finish.
   */
  close(): Promise<void> {
    if (!this.closed) this.shutdown();
    return Promise.resolve();
  }

  private shutdown(): void {
    this.closed = true;
    const error = brokerUnavailable('The in-process broker was closed before the message was processed.');
    for (const entry of this.timers) {
      clearTimeout(entry.timer);
      entry.delivery.reject(error);
    }
    this.timers.clear();
    for (const queue of this.queues.values()) {
      for (const delivery of queue.ready.splice(0)) delivery.reject(error);
      queue.consumers.length = 0;
    }
  }

  private dispatch(queue: QueueState): void {
    while (!this.closed && queue.ready.length > 0 && queue.consumers.length > 0) {
      const delivery = queue.ready.shift()!;
      const consumer = queue.consumers[queue.nextConsumer % queue.consumers.length];
      queue.nextConsumer = (queue.nextConsumer + 1) % queue.consumers.length;
      void this.deliver(delivery, consumer);
    }
  }

  private async deliver(delivery: Delivery, consumer: Consumer): Promise<void> {
    delivery.deliveries += 1;
    const envelope = decodeEnvelope(delivery.body)!;
    try {
      // Never call the handler synchronously inside publish/subscribe.
      await Promise.resolve().then(() => consumer.handler(envelope));
      delivery.resolve();
      return;
    } catch (error) {
      this.onHandlerFailure(delivery, error);
    }
  }

  private onHandlerFailure(delivery: Delivery, error: unknown): void {
    const failure = classifyHandlerFailure(error);
    const logContext = {
      queue: delivery.queue.name,
      messageId: decodeEnvelope(delivery.body)!.messageId,
      delivery: delivery.deliveries,
      errorCode: failure.errorCode,
    };
    if (this.closed) {
      delivery.reject(
        brokerUnavailable('The in-process broker was closed before the message was processed.'),
      );
      return;
    }
    if (failure.action === 'reject') {
      this.deadLetter(delivery, 'rejected', failure.errorCode);
      this.logger.warn({ ...logContext, code: 'BROKER_MESSAGE_REJECTED' }, 'message rejected: dead-lettered');
      return;
    }
    if (delivery.deliveries >= this.maxDeliveries) {
      this.deadLetter(delivery, 'delivery-limit', failure.errorCode);
      this.logger.error(
        { ...logContext, code: 'BROKER_DELIVERY_LIMIT' },
        'message failed on every delivery: dead-lettered',
      );
      return;
    }
    this.logger.warn({ ...logContext, code: 'BROKER_MESSAGE_RETRY' }, 'message failed: will be redelivered');
    const entry = {
      delivery,
      timer: setTimeout(() => {
        this.timers.delete(entry);
        delivery.queue.ready.push(delivery);
        this.dispatch(delivery.queue);
      }, this.retryBackoffMs * delivery.deliveries),
    };
    this.timers.add(entry);
  }

  private deadLetter(delivery: Delivery, reason: DeadLetterReason, errorCode: string): void {
    this.dead.push({
      envelope: decodeEnvelope(delivery.body)!,
      queue: delivery.queue.name,
      reason,
      errorCode,
      deliveries: delivery.deliveries,
      deadLetteredAt: new Date(),
    });
    // Handled: the message is safely parked, so the publisher's confirm succeeds.
    delivery.resolve();
  }
}
