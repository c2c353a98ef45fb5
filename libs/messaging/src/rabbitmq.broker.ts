import amqp from 'amqplib';
import type { Channel, ChannelModel, ConfirmChannel, ConsumeMessage, Message } from 'amqplib';
import {
  UnavailableError,
  routingKeyOf,
  type Envelope,
  type HealthCheck,
  type MessageConsumer,
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
  type UnroutablePolicy,
} from './broker.errors.js';
import { describeError, silentBrokerLogger, type BrokerLogger } from './broker.logger.js';
import { decodeEnvelope, encodeEnvelope } from './envelope.codec.js';

export interface RabbitMqBrokerOptions {
  /** amqp:// or amqps:// URL (may carry `?heartbeat=<s>` and other amqplib URL parameters). */
  readonly url: string;
  /** Durable topic exchange for events (default `ketenpoort.events`). */
  readonly exchange?: string;
  /** Durable fanout exchange the queues dead-letter into (default `ketenpoort.dlx`). */
  readonly deadLetterExchange?: string;
  /** Durable quorum queue bound to the dead-letter exchange (default `ketenpoort.dead-letter`). */
  readonly deadLetterQueue?: string;
  /** Unacknowledged messages per consumer (default 16). */
  readonly prefetch?: number;
  /** Deliveries of one message before the queue dead-letters it (default 5). */
  readonly maxDeliveries?: number;
  /** Before requeueing after delivery n fails, wait `retryBackoffMs * n` ms (default 10). */
  readonly retryBackoffMs?: number;
  /** Delays between reconnection attempts; the last one repeats forever (default 250, 500, 1000, 2000, 5000). */
  readonly reconnectDelaysMs?: readonly number[];
  /** `publish` rejects with `BROKER_PUBLISH_TIMEOUT` when no confirm arrives in time (default 10 000). */
  readonly publishTimeoutMs?: number;
  /** TCP + AMQP handshake timeout per connection attempt (default 5 000). */
  readonly connectTimeoutMs?: number;
  /** How long `close()` waits for running handlers before closing the connection (default 5 000). */
  readonly closeTimeoutMs?: number;
  /**
   * A message no queue is bound for: `reject` (default) makes `publish` reject with the retryable
   * `BROKER_UNROUTABLE` (mandatory publish), so the outbox keeps the row; `drop` lets it vanish as AMQP does.
   */
  readonly onUnroutable?: UnroutablePolicy;
  /** Shown in the RabbitMQ management UI / `rabbitmqctl list_connections` (default `ketenpoort`). */
  readonly connectionName?: string;
  readonly logger?: BrokerLogger;
}

export const RABBITMQ_DEFAULTS = {
  exchange: 'ketenpoort.events',
  deadLetterExchange: 'ketenpoort.dlx',
  deadLetterQueue: 'ketenpoort.dead-letter',
  prefetch: 16,
  maxDeliveries: DEFAULT_MAX_DELIVERIES,
  retryBackoffMs: DEFAULT_RETRY_BACKOFF_MS,
  reconnectDelaysMs: [250, 500, 1000, 2000, 5000] as readonly number[],
  publishTimeoutMs: 10_000,
  connectTimeoutMs: 5_000,
  closeTimeoutMs: 5_000,
  onUnroutable: 'reject' as UnroutablePolicy,
  connectionName: 'ketenpoort',
} as const;

/** Header names written on every published message. */
export const MessageHeaders = {
  idempotencyKey: 'x-idempotency-key',
  type: 'x-message-type',
  version: 'x-message-version',
} as const;

type Settings = Required<Omit<RabbitMqBrokerOptions, 'logger'>>;

interface ConsumerState {
  readonly subscription: Subscription;
  readonly channel: Channel;
  consumerTag: string | null;
  /** Set once consuming started; before that a closing channel is a setup failure, not a loss. */
  ready: boolean;
  stopping: boolean;
}

interface Session {
  readonly model: ChannelModel;
  publishChannel: ConfirmChannel | null;
  readonly consumers: ConsumerState[];
  /** messageId -> count of mandatory publishes returned as unroutable and not yet confirmed. */
  readonly returned: Map<string, number>;
  ready: boolean;
  /** The connection closed (or is being closed by us). */
  lost: boolean;
}

interface Deferred {
  readonly promise: Promise<void>;
  resolve(): void;
  reject(error: Error): void;
}

function deferred(): Deferred {
  let resolve!: () => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // Nobody may be waiting (e.g. start() without connect()): never an unhandled rejection.
  promise.catch(() => undefined);
  return { promise, resolve, reject };
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`${name} must be a positive integer`);
  return value;
}

/**
 * The production broker: RabbitMQ with publisher confirms, durable quorum queues with a delivery limit and
 * dead-lettering, manual acknowledgement after the handler resolved, and automatic reconnection that
 * re-declares the topology and restores every subscription.
 */
export class RabbitMqBroker implements MessagePublisher, MessageConsumer {
  private readonly settings: Settings;
  private readonly logger: BrokerLogger;
  private readonly subscriptions: Subscription[] = [];
  private readonly declaredQueues = new Map<string, Set<string>>();
  private readonly inFlight = new Set<Promise<void>>();
  private session: Session | null = null;
  private started = false;
  private closed = false;
  private closing: Promise<void> | null = null;
  private connecting: Deferred = deferred();
  private attempt = 0;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private opening: Promise<void> | null = null;
  private readonly closeSignal = deferred();

  constructor(options: RabbitMqBrokerOptions) {
    if (!options.url) throw new RangeError('url is required');
    const delays = options.reconnectDelaysMs ?? RABBITMQ_DEFAULTS.reconnectDelaysMs;
    if (delays.length === 0 || delays.some((delay) => !Number.isFinite(delay) || delay < 0)) {
      throw new RangeError('reconnectDelaysMs must be a non-empty list of non-negative numbers');
    }
    this.settings = {
      url: options.url,
      exchange: options.exchange ?? RABBITMQ_DEFAULTS.exchange,
      deadLetterExchange: options.deadLetterExchange ?? RABBITMQ_DEFAULTS.deadLetterExchange,
      deadLetterQueue: options.deadLetterQueue ?? RABBITMQ_DEFAULTS.deadLetterQueue,
      prefetch: positiveInteger('prefetch', options.prefetch ?? RABBITMQ_DEFAULTS.prefetch),
      maxDeliveries: validateMaxDeliveries(options.maxDeliveries ?? RABBITMQ_DEFAULTS.maxDeliveries),
      retryBackoffMs: Math.max(0, options.retryBackoffMs ?? RABBITMQ_DEFAULTS.retryBackoffMs),
      reconnectDelaysMs: [...delays],
      publishTimeoutMs: positiveInteger(
        'publishTimeoutMs',
        options.publishTimeoutMs ?? RABBITMQ_DEFAULTS.publishTimeoutMs,
      ),
      connectTimeoutMs: positiveInteger(
        'connectTimeoutMs',
        options.connectTimeoutMs ?? RABBITMQ_DEFAULTS.connectTimeoutMs,
      ),
      closeTimeoutMs: Math.max(0, options.closeTimeoutMs ?? RABBITMQ_DEFAULTS.closeTimeoutMs),
      onUnroutable: options.onUnroutable ?? RABBITMQ_DEFAULTS.onUnroutable,
      connectionName: options.connectionName ?? RABBITMQ_DEFAULTS.connectionName,
    };
    this.logger = options.logger ?? silentBrokerLogger;
  }

  /** Starts connecting in the background (idempotent); failures are logged and retried on the schedule. */
  start(): void {
    if (this.started || this.closed) return;
    this.started = true;
    void this.attemptConnection();
  }

  /**
   * Starts connecting and resolves once connected (topology declared, subscriptions consuming). Retries on
   * the reconnect schedule; with `timeoutMs` it rejects with `BROKER_UNAVAILABLE` after that long while the
   * attempts go on in the background. Rejects when the broker is closed first.
   */
  async connect(options: { readonly timeoutMs?: number } = {}): Promise<void> {
    if (this.closed) throw brokerUnavailable('The broker client is closed.');
    this.start();
    if (this.isConnected()) return;
    if (options.timeoutMs === undefined) return this.connecting.promise;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            brokerUnavailable(`Could not connect to the message broker within ${options.timeoutMs} ms.`),
          ),
        options.timeoutMs,
      );
    });
    try {
      await Promise.race([this.connecting.promise, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  isConnected(): boolean {
    const session = this.session;
    return !this.closed && session !== null && session.ready && !session.lost;
  }

  healthCheck(): HealthCheck {
    return {
      name: 'broker',
      check: () =>
        this.isConnected()
          ? Promise.resolve()
          : Promise.reject(brokerUnavailable('The message broker is not connected.')),
    };
  }

  /**
   * Publishes with `persistent`, `mandatory` and publisher confirms; resolves once RabbitMQ confirmed.
   * Rejects with a retryable UnavailableError: `BROKER_UNAVAILABLE` (not connected, or the connection broke
   * before the confirm), `BROKER_NACKED`, `BROKER_PUBLISH_TIMEOUT` or `BROKER_UNROUTABLE`.
   */
  async publish(envelope: Envelope): Promise<void> {
    const body = Buffer.from(encodeEnvelope(envelope), 'utf8');
    const session = this.session;
    const channel = session?.publishChannel;
    if (this.closed || !session || !session.ready || session.lost || !channel) {
      throw brokerUnavailable('The message broker is not connected; publish later.');
    }
    const routingKey = routingKeyOf(envelope);
    const { messageId } = envelope;
    await new Promise<void>((resolve, reject) => {
      let settled = false;
      const finish = (error?: Error): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (error) reject(error);
        else resolve();
      };
      const timer = setTimeout(
        () =>
          finish(
            new UnavailableError(
              BrokerErrorCode.PublishTimeout,
              `No publisher confirm within ${this.settings.publishTimeoutMs} ms.`,
            ),
          ),
        this.settings.publishTimeoutMs,
      );
      try {
        channel.publish(
          this.settings.exchange,
          routingKey,
          body,
          {
            persistent: true,
            mandatory: true,
            contentType: 'application/json',
            contentEncoding: 'utf-8',
            messageId,
            type: envelope.type,
            timestamp: Math.floor(Date.now() / 1000),
            headers: {
              [MessageHeaders.idempotencyKey]: envelope.idempotencyKey,
              [MessageHeaders.type]: envelope.type,
              [MessageHeaders.version]: envelope.version,
            },
          },
          (error: unknown) => {
            const wasReturned = this.takeReturned(session, messageId);
            if (error) {
              const nacked = error instanceof Error && /nack/i.test(error.message);
              finish(
                nacked
                  ? new UnavailableError(BrokerErrorCode.Nacked, 'The broker refused the message.')
                  : brokerUnavailable('The broker connection closed before the message was confirmed.'),
              );
              return;
            }
            if (wasReturned && this.settings.onUnroutable === 'reject') {
              finish(
                new UnavailableError(BrokerErrorCode.Unroutable, `No queue is bound for ${routingKey}.`),
              );
              return;
            }
            finish();
          },
        );
      } catch {
        // amqplib throws IllegalOperationError when the channel closed in the meantime.
        finish(brokerUnavailable('The broker channel is closed; publish later.'));
      }
    });
  }

  /**
   * Declares the queue (durable quorum queue with dead-lettering and the delivery limit) and binds the
   * routing keys without consuming, so messages published before a consumer subscribes are kept.
   * Re-declared after every reconnect.
   */
  async declareQueue(queue: string, routingKeys: readonly string[]): Promise<void> {
    if (this.closed) throw brokerUnavailable('The broker client is closed.');
    if (!queue) throw new RangeError('queue name must not be empty');
    const previous = this.declaredQueues.get(queue);
    this.declaredQueues.set(queue, new Set([...(previous ?? []), ...routingKeys]));
    const session = this.session;
    if (!session || !session.ready || session.lost) return;
    try {
      const channel = await session.model.createChannel();
      channel.on('error', () => undefined);
      try {
        await this.assertQueue(channel, queue, routingKeys);
      } finally {
        await channel.close().catch(() => undefined);
      }
    } catch (error) {
      if (session.lost || this.session !== session) return; // declared again after the reconnect
      // Refused (e.g. the queue exists with other arguments): do not repeat it on every reconnect.
      if (previous) this.declaredQueues.set(queue, previous);
      else this.declaredQueues.delete(queue);
      throw error;
    }
  }

  /**
   * Consumes the queue (declared and bound first) on a channel of its own, with manual acknowledgement.
   * When not connected, the subscription starts as soon as the connection is up; it is restored after every
   * reconnect. Rejects when the queue cannot be declared (e.g. it exists with different arguments).
   */
  async subscribe(subscription: Subscription): Promise<void> {
    if (this.closed) throw brokerUnavailable('The broker client is closed.');
    if (!subscription.queue) throw new RangeError('queue name must not be empty');
    this.subscriptions.push(subscription);
    const session = this.session;
    if (!session || !session.ready || session.lost) return;
    try {
      await this.startConsumer(session, subscription);
    } catch (error) {
      if (session.lost || this.session !== session) return; // restored by the reconnect
      this.subscriptions.splice(this.subscriptions.indexOf(subscription), 1);
      throw error;
    }
  }

  /**
   * Stops reconnecting, cancels the consumers, waits up to `closeTimeoutMs` for running handlers (so their
   * messages are still acknowledged), then closes channels and connection. Unacknowledged messages return
   * to their queues.
   */
  close(): Promise<void> {
    if (!this.closing) this.closing = this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    this.closed = true;
    this.closeSignal.resolve();
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    this.connecting.reject(brokerUnavailable('The broker client was closed.'));
    // An attempt in progress sees `closed` when it finishes and closes its own connection.
    await this.opening?.catch(() => undefined);
    const session = this.session;
    if (!session) return;
    await Promise.allSettled(
      session.consumers.map(async (consumer) => {
        consumer.stopping = true;
        if (consumer.consumerTag) await consumer.channel.cancel(consumer.consumerTag);
      }),
    );
    if (this.inFlight.size > 0) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.allSettled([...this.inFlight]),
        new Promise((resolve) => (timer = setTimeout(resolve, this.settings.closeTimeoutMs))),
      ]);
      clearTimeout(timer);
    }
    session.lost = true;
    this.session = null;
    await session.model.close().catch(() => undefined);
    this.logger.info(
      { code: 'BROKER_CLOSED', connectionName: this.settings.connectionName },
      'broker closed',
    );
  }

  // ---- connection management ------------------------------------------------------------------------

  private async attemptConnection(): Promise<void> {
    this.reconnectTimer = null;
    if (this.closed) return;
    try {
      this.opening = this.openSession();
      await this.opening;
    } catch (error) {
      if (this.closed) return;
      const delay = this.nextDelay();
      this.logger.warn(
        {
          code: 'BROKER_CONNECT_FAILED',
          attempt: this.attempt,
          retryInMs: delay,
          error: describeError(error),
        },
        'could not connect to the message broker; retrying',
      );
      this.scheduleConnection(delay);
    }
  }

  private nextDelay(): number {
    const delays = this.settings.reconnectDelaysMs;
    const delay = delays[Math.min(this.attempt, delays.length - 1)];
    this.attempt += 1;
    return delay;
  }

  private scheduleConnection(delay: number): void {
    if (this.closed || this.reconnectTimer) return;
    this.reconnectTimer = setTimeout(() => void this.attemptConnection(), delay);
  }

  private async openSession(): Promise<void> {
    const model = await amqp.connect(this.settings.url, {
      timeout: this.settings.connectTimeoutMs,
      clientProperties: { connection_name: this.settings.connectionName },
    });
    if (this.closed) {
      await model.close().catch(() => undefined);
      return;
    }
    const session: Session = {
      model,
      publishChannel: null,
      consumers: [],
      returned: new Map(),
      ready: false,
      lost: false,
    };
    model.on('error', (error: Error) =>
      this.logger.warn(
        { code: 'BROKER_CONNECTION_ERROR', error: describeError(error) },
        'broker connection error',
      ),
    );
    model.on('close', (error?: Error) => this.onConnectionClosed(session, error));
    model.on('blocked', (reason: string) =>
      this.logger.warn({ code: 'BROKER_BLOCKED', reason }, 'broker blocked publishing (resource alarm)'),
    );
    model.on('unblocked', () =>
      this.logger.info({ code: 'BROKER_UNBLOCKED' }, 'broker unblocked publishing'),
    );
    try {
      const setup = await model.createChannel();
      setup.on('error', () => undefined);
      await this.assertTopology(setup);
      for (const [queue, keys] of this.declaredQueues) await this.assertQueue(setup, queue, [...keys]);
      await setup.close();

      const publishChannel = await model.createConfirmChannel();
      publishChannel.on('error', (error: Error) =>
        this.logger.warn(
          { code: 'BROKER_CHANNEL_ERROR', error: describeError(error) },
          'publish channel error',
        ),
      );
      publishChannel.on('return', (message: Message) => this.onReturned(session, message));
      publishChannel.on('close', () => this.onChannelLost(session, 'publish'));
      session.publishChannel = publishChannel;

      // Index loop: subscriptions added while we are setting up are picked up too.
      for (let i = 0; i < this.subscriptions.length; i++) {
        await this.startConsumer(session, this.subscriptions[i]);
      }
      if (session.lost) throw brokerUnavailable('The connection closed during set-up.');
      if (this.closed) {
        session.lost = true;
        await model.close().catch(() => undefined);
        return;
      }
      // Synchronous from here on: no subscribe() can slip in between.
      session.ready = true;
      this.session = session;
      this.logger.info(
        {
          code: 'BROKER_CONNECTED',
          connectionName: this.settings.connectionName,
          attempts: this.attempt + 1,
          subscriptions: this.subscriptions.length,
        },
        'connected to the message broker',
      );
      this.attempt = 0;
      const connecting = this.connecting;
      this.connecting = deferred();
      connecting.resolve();
    } catch (error) {
      session.lost = true;
      await model.close().catch(() => undefined);
      throw error;
    }
  }

  private onConnectionClosed(session: Session, error?: Error): void {
    const wasReady = session.ready && !session.lost;
    session.lost = true;
    if (this.session === session) this.session = null;
    if (!wasReady || this.closed) return; // set-up failures are handled by attemptConnection
    const delay = this.nextDelay();
    this.logger.warn(
      {
        code: 'BROKER_CONNECTION_LOST',
        connectionName: this.settings.connectionName,
        retryInMs: delay,
        ...(error ? { error: describeError(error) } : {}),
      },
      'lost the connection to the message broker; reconnecting',
    );
    this.scheduleConnection(delay);
  }

  /** A channel closed under a live connection: recycle the whole connection, which restores everything. */
  private onChannelLost(session: Session, channel: string): void {
    // amqplib closes every channel just before it reports the connection closed: look again a tick later.
    setImmediate(() => {
      if (!session.ready || session.lost || this.closed) return;
      this.logger.warn(
        { code: 'BROKER_CHANNEL_CLOSED', channel },
        'a broker channel closed unexpectedly; recycling the connection',
      );
      void session.model.close().catch(() => undefined);
    });
  }

  private onReturned(session: Session, message: Message): void {
    const messageId = String(message.properties.messageId ?? '');
    session.returned.set(messageId, (session.returned.get(messageId) ?? 0) + 1);
    this.logger.warn(
      { code: BrokerErrorCode.Unroutable, routingKey: message.fields.routingKey, messageId },
      'message matches no queue',
    );
  }

  private takeReturned(session: Session, messageId: string): boolean {
    const count = session.returned.get(messageId) ?? 0;
    if (count === 0) return false;
    if (count === 1) session.returned.delete(messageId);
    else session.returned.set(messageId, count - 1);
    return true;
  }

  // ---- topology -------------------------------------------------------------------------------------

  private async assertTopology(channel: Channel): Promise<void> {
    const { exchange, deadLetterExchange, deadLetterQueue } = this.settings;
    await channel.assertExchange(exchange, 'topic', { durable: true });
    await channel.assertExchange(deadLetterExchange, 'fanout', { durable: true });
    await channel.assertQueue(deadLetterQueue, { durable: true, arguments: { 'x-queue-type': 'quorum' } });
    await channel.bindQueue(deadLetterQueue, deadLetterExchange, '');
  }

  /** The arguments of every consumer queue; they must stay the same for an existing queue. */
  queueArguments(): Record<string, unknown> {
    return {
      'x-queue-type': 'quorum',
      'x-dead-letter-exchange': this.settings.deadLetterExchange,
      // RabbitMQ dead-letters when the count of *returns* exceeds the limit: limit n allows n + 1 deliveries.
      'x-delivery-limit': this.settings.maxDeliveries - 1,
      // Keep the message in the queue until the dead-letter queue confirmed it.
      'x-dead-letter-strategy': 'at-least-once',
      'x-overflow': 'reject-publish',
    };
  }

  private async assertQueue(channel: Channel, queue: string, routingKeys: readonly string[]): Promise<void> {
    await channel.assertQueue(queue, { durable: true, arguments: this.queueArguments() });
    for (const key of routingKeys) await channel.bindQueue(queue, this.settings.exchange, key);
  }

  // ---- consuming ------------------------------------------------------------------------------------

  private async startConsumer(session: Session, subscription: Subscription): Promise<void> {
    const channel = await session.model.createChannel();
    const consumer: ConsumerState = {
      subscription,
      channel,
      consumerTag: null,
      ready: false,
      stopping: false,
    };
    channel.on('error', (error: Error) =>
      this.logger.warn(
        { code: 'BROKER_CHANNEL_ERROR', queue: subscription.queue, error: describeError(error) },
        'consumer channel error',
      ),
    );
    channel.on('close', () => {
      if (consumer.ready && !consumer.stopping) this.onChannelLost(session, `consumer:${subscription.queue}`);
    });
    try {
      await channel.prefetch(this.settings.prefetch);
      await this.assertQueue(channel, subscription.queue, subscription.routingKeys);
      const reply = await channel.consume(
        subscription.queue,
        (message) => this.onDelivery(session, consumer, message),
        { noAck: false },
      );
      consumer.consumerTag = reply.consumerTag;
      consumer.ready = true;
      session.consumers.push(consumer);
    } catch (error) {
      await channel.close().catch(() => undefined);
      throw error;
    }
  }

  private onDelivery(session: Session, consumer: ConsumerState, message: ConsumeMessage | null): void {
    if (message === null) {
      // The server cancelled the consumer (e.g. the queue was deleted): reconnecting re-declares it.
      if (consumer.stopping || this.closed) return;
      this.logger.warn(
        { code: 'BROKER_CONSUMER_CANCELLED', queue: consumer.subscription.queue },
        'the broker cancelled a consumer',
      );
      this.onChannelLost(session, `consumer:${consumer.subscription.queue}`);
      return;
    }
    const task = this.handleDelivery(consumer, message).catch((error: unknown) =>
      this.logger.error(
        { code: 'BROKER_DELIVERY_FAILED', queue: consumer.subscription.queue, error: describeError(error) },
        'unexpected failure while settling a message',
      ),
    );
    this.inFlight.add(task);
    void task.finally(() => this.inFlight.delete(task));
  }

  private async handleDelivery(consumer: ConsumerState, message: ConsumeMessage): Promise<void> {
    const { queue, handler } = consumer.subscription;
    const previousDeliveries = Number(message.properties.headers?.['x-delivery-count'] ?? 0);
    const delivery = (Number.isFinite(previousDeliveries) ? previousDeliveries : 0) + 1;
    const context = {
      queue,
      messageId: typeof message.properties.messageId === 'string' ? message.properties.messageId : undefined,
      delivery,
    };
    const envelope = decodeEnvelope(message.content);
    if (!envelope) {
      this.logger.warn(
        { ...context, code: 'BROKER_INVALID_MESSAGE' },
        'message body is not a valid envelope: dead-lettered',
      );
      this.settle(consumer, message, 'dead-letter', context);
      return;
    }
    try {
      await handler(envelope);
    } catch (error) {
      const failure = classifyHandlerFailure(error);
      if (failure.action === 'reject') {
        this.logger.warn(
          { ...context, code: 'BROKER_MESSAGE_REJECTED', errorCode: failure.errorCode, type: envelope.type },
          'handler rejected the message: dead-lettered',
        );
        this.settle(consumer, message, 'dead-letter', context);
        return;
      }
      const last = delivery >= this.settings.maxDeliveries;
      const details = {
        ...context,
        code: last ? 'BROKER_DELIVERY_LIMIT' : 'BROKER_MESSAGE_RETRY',
        errorCode: failure.errorCode,
        type: envelope.type,
        error: describeError(error),
      };
      if (last) {
        this.logger.error(details, 'handler failed on the last delivery: the queue dead-letters the message');
      } else {
        this.logger.warn(details, 'handler failed: message requeued');
      }
      if (!last) await this.backoff(this.settings.retryBackoffMs * delivery);
      // The quorum queue counts the return and dead-letters the message once the delivery limit is passed.
      this.settle(consumer, message, 'requeue', context);
      return;
    }
    this.settle(consumer, message, 'ack', context);
  }

  private settle(
    consumer: ConsumerState,
    message: ConsumeMessage,
    outcome: 'ack' | 'requeue' | 'dead-letter',
    context: Record<string, unknown>,
  ): void {
    try {
      if (outcome === 'ack') consumer.channel.ack(message);
      else consumer.channel.nack(message, false, outcome === 'requeue');
    } catch (error) {
      // The channel is gone: RabbitMQ redelivers the message (consumers are idempotent).
      this.logger.warn(
        { ...context, code: 'BROKER_SETTLE_FAILED', outcome, error: describeError(error) },
        'could not settle the message; it will be redelivered',
      );
    }
  }

  private async backoff(ms: number): Promise<void> {
    if (ms <= 0 || this.closed) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      new Promise((resolve) => (timer = setTimeout(resolve, ms))),
      this.closeSignal.promise,
    ]);
    clearTimeout(timer);
  }
}

/**
 * Deletes queues and exchanges on a separate, short-lived connection: for tearing down a throwaway namespace
 * (tests, demos) after its clients closed. Missing ones are fine. Never point it at a production namespace.
 */
export async function deleteRabbitMqTopology(
  url: string,
  names: { readonly queues: readonly string[]; readonly exchanges: readonly string[] },
): Promise<void> {
  const connection = await amqp.connect(url);
  try {
    for (const queue of names.queues) {
      const channel = await connection.createChannel();
      await channel.deleteQueue(queue).catch(() => undefined);
      await channel.close().catch(() => undefined);
    }
    for (const exchange of names.exchanges) {
      const channel = await connection.createChannel();
      await channel.deleteExchange(exchange).catch(() => undefined);
      await channel.close().catch(() => undefined);
    }
  } finally {
    await connection.close().catch(() => undefined);
  }
}
