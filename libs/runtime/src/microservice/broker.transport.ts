import { type ArgumentsHost, Catch, type RpcExceptionFilter } from '@nestjs/common';
import {
  BaseRpcContext,
  type CustomTransportStrategy,
  type MessageHandler as NestMessageHandler,
  Server,
} from '@nestjs/microservices';
import { type Observable, lastValueFrom, throwError } from 'rxjs';
import { type Envelope, type MessageConsumer, ValidationError, routingKeyOf } from '#domain';
import { matchesTopicPattern } from '#messaging';

/** Marks the transport (`@EventPattern(key, { queue }, BROKER_TRANSPORT)` when a process runs several). */
export const BROKER_TRANSPORT = Symbol('BrokerTransport');

/** The `extras` of an `@EventPattern` on the broker transport: the logical queue the pattern is bound to. */
export interface BrokerPatternExtras {
  /** Logical queue name; the queue on the broker is `<namespace>.<queue>` (e.g. `worker.records`). */
  readonly queue: string;
}

export interface BrokerTransportOptions {
  /** The broker port (in-process or RabbitMQ); acks, redelivery and dead-lettering stay the broker's. */
  readonly broker: MessageConsumer;
  /** The broker namespace (`BROKER_NAMESPACE`): queue `<namespace>.<logical queue>`. */
  readonly namespace: string;
}

/** What a handler can read with `@Ctx()`: the envelope, the queue it came from and its routing key. */
export class BrokerContext extends BaseRpcContext<[Envelope, string, string]> {
  getEnvelope(): Envelope {
    return this.args[0];
  }
  getQueue(): string {
    return this.args[1];
  }
  getRoutingKey(): string {
    return this.args[2];
  }
}

/** Error codes of the transport itself. */
export const BrokerTransportErrorCode = {
  /** A message reached a queue whose handlers match none of its routing key (a binding without a handler). */
  NoHandler: 'BROKER_TRANSPORT_NO_HANDLER',
} as const;

/**
 * Lets a handler's error reach the transport unchanged, so the broker classifies it as before (a non-retryable
 * `DomainError` is dead-lettered at once, anything else is redelivered). Nest's default RPC filter would turn
 * every error into a generic `{ status: 'error' }`. Applied as a global filter by `createBrokerMicroservice`.
 */
@Catch()
export class BrokerExceptionFilter implements RpcExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): Observable<never> {
    void host;
    return throwError(() => exception);
  }
}

interface Route {
  readonly pattern: string;
  readonly handler: NestMessageHandler;
}

/**
 * A Nest custom transport strategy over ketenpoort's broker port (ADR 0029). Every `@EventPattern(routingKey,
 * { queue })` handler becomes part of one subscription per logical queue; the broker keeps its guarantees:
 * the message is acknowledged only after the handler's promise (or observable) completed, and a failure goes
 * back to the broker unchanged, which redelivers or dead-letters it. Request-response (`@MessagePattern`)
 * is refused at `listen`: the broker has no reply queues, and the worker's messages are all events.
 */
export class BrokerTransport extends Server implements CustomTransportStrategy {
  override readonly transportId = BROKER_TRANSPORT;

  constructor(private readonly options: BrokerTransportOptions) {
    super();
  }

  /** The queues this transport subscribes, with their routing keys, by queue name on the broker. */
  subscriptions(): Map<string, Route[]> {
    const byQueue = new Map<string, Route[]>();
    for (const [pattern, handler] of this.getHandlers()) {
      const extras = handler.extras as Partial<BrokerPatternExtras> | undefined;
      if (!handler.isEventHandler) {
        throw new Error(
          `BrokerTransport carries events only: use @EventPattern for ${pattern}, not @MessagePattern`,
        );
      }
      if (typeof extras?.queue !== 'string' || extras.queue.length === 0) {
        throw new Error(`@EventPattern(${pattern}) on the broker transport needs { queue } in its extras`);
      }
      const queue = `${this.options.namespace}.${extras.queue}`;
      const routes = byQueue.get(queue) ?? [];
      routes.push({ pattern, handler });
      byQueue.set(queue, routes);
    }
    return byQueue;
  }

  listen(callback: (error?: unknown) => void): void {
    let queues: Map<string, Route[]>;
    try {
      queues = this.subscriptions();
    } catch (error) {
      callback(error);
      return;
    }
    void (async () => {
      for (const [queue, routes] of queues) {
        await this.options.broker.subscribe({
          queue,
          routingKeys: routes.map((r) => r.pattern),
          handler: (envelope) => this.handle(queue, routes, envelope),
        });
      }
    })().then(
      () => callback(),
      (error: unknown) => callback(error),
    );
  }

  /**
   * Runs the handler whose pattern matches the envelope and resolves once it completed; rejects with the
   * handler's own error. The broker acks on resolve and nacks (redelivery or dead letter) on reject.
   */
  async handle(queue: string, routes: readonly Route[], envelope: Envelope): Promise<void> {
    const routingKey = routingKeyOf(envelope);
    const route =
      routes.find((r) => r.pattern === routingKey) ??
      routes.find((r) => matchesTopicPattern(r.pattern, routingKey));
    if (!route) {
      throw new ValidationError(
        BrokerTransportErrorCode.NoHandler,
        `No handler on ${queue} for ${routingKey}.`,
      );
    }
    const context = new BrokerContext([envelope, queue, routingKey]);
    const result: unknown = await route.handler(envelope, context);
    try {
      await lastValueFrom(this.transformToObservable(result), { defaultValue: undefined });
    } catch (error) {
      throw asError(error);
    }
  }

  /**
   * Nothing to stop here: the broker port has no unsubscribe, and the process closes the broker after the
   * microservice (running handlers finish, unacknowledged messages are redelivered), exactly as before.
   */
  close(): void {
    return;
  }

  on(): never {
    throw new Error('BrokerTransport has no events to listen to; the broker logs its own');
  }

  unwrap<T>(): T {
    return this.options.broker as T;
  }
}

/** Nest's generic `{ status: 'error', message }` (a filter that was not applied) as an Error: redelivered. */
function asError(error: unknown): unknown {
  if (error instanceof Error) return error;
  const message =
    typeof error === 'object' && error !== null && 'message' in error ? String(error.message) : String(error);
  return new Error(message);
}
