/**
 * The broker transport and client on the in-process broker, without a database: handlers get the envelope,
 * the message is acknowledged only after the handler's promise resolved, a failure goes back to the broker
 * (redelivery, or dead letter at once for a non-retryable DomainError).
 */
import 'reflect-metadata';
import assert from 'node:assert/strict';
import { afterAll, describe, expect, it } from '@jest/globals';
import { Controller, type INestMicroservice, Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Ctx, EventPattern, MessagePattern, Payload } from '@nestjs/microservices';
import fc from 'fast-check';
import { lastValueFrom, throwError } from 'rxjs';
import { type Envelope, UnavailableError, ValidationError, routingKeyOf } from '#domain';
import { InProcessBroker } from '#messaging';
import { anEnvelope } from '#testing';
import { BrokerClient, BrokerClientErrorCode, publisherOf } from './broker.client.js';
import {
  BROKER_TRANSPORT,
  BrokerContext,
  BrokerExceptionFilter,
  BrokerTransport,
  BrokerTransportErrorCode,
} from './broker.transport.js';

type Events = Record<string, Envelope>;
const NAMESPACE = 'spec';
const OK = 'spec.ok.v1';
const GATED = 'spec.gated.v1';
const REJECTED = 'spec.rejected.v1';
const FLAKY = 'spec.flaky.v1';
const POISON = 'spec.poison.v1';
const OBSERVED = 'spec.observed.v1';
const WILD = 'spec.wild.*';

/** A message whose routing key is `key` (`type.vN`). */
function envelopeOf(key: string, payload: unknown = { n: 1 }): Envelope {
  const dot = key.lastIndexOf('.');
  return anEnvelope(key.slice(0, dot), payload, Number(key.slice(key.lastIndexOf('.v') + 2)));
}

/** What the handlers saw; the gate holds `GATED` until the test opens it. */
@Injectable()
class Seen {
  readonly calls: { key: string; envelope: Envelope; queue: string; routingKey: string }[] = [];
  flakyCalls = 0;
  gate!: Promise<void>;
  open!: () => void;
  constructor() {
    this.reset();
  }
  reset(): void {
    this.gate = new Promise((resolve) => (this.open = resolve));
  }
  record(key: string, envelope: Envelope, ctx: unknown): void {
    assert.ok(ctx instanceof BrokerContext, 'the handler gets a BrokerContext');
    const context = ctx;
    this.calls.push({ key, envelope, queue: context.getQueue(), routingKey: context.getRoutingKey() });
  }
}

@Controller()
class SpecConsumers {
  constructor(private readonly seen: Seen) {}

  @EventPattern<Events>(OK, BROKER_TRANSPORT, { queue: 'a' })
  ok(@Payload() envelope: Envelope, @Ctx() context: unknown): void {
    this.seen.record(OK, envelope, context);
  }

  @EventPattern<Events>(GATED, BROKER_TRANSPORT, { queue: 'a' })
  async gated(@Payload() envelope: Envelope, @Ctx() context: unknown): Promise<void> {
    await this.seen.gate;
    this.seen.record(GATED, envelope, context);
  }

  @EventPattern<Events>(REJECTED, BROKER_TRANSPORT, { queue: 'b' })
  rejected(@Payload() envelope: Envelope, @Ctx() context: unknown): Promise<void> {
    this.seen.record(REJECTED, envelope, context);
    return Promise.reject(new ValidationError('SPEC_BAD', 'not processable'));
  }

  @EventPattern<Events>(FLAKY, BROKER_TRANSPORT, { queue: 'b' })
  flaky(@Payload() envelope: Envelope, @Ctx() context: unknown): void {
    this.seen.flakyCalls += 1;
    if (this.seen.flakyCalls === 1) throw new UnavailableError('SPEC_DOWN', 'briefly down');
    this.seen.record(FLAKY, envelope, context);
  }

  @EventPattern<Events>(POISON, BROKER_TRANSPORT, { queue: 'b' })
  poison(@Payload() envelope: Envelope, @Ctx() context: unknown): void {
    this.seen.record(POISON, envelope, context);
    throw new TypeError('always failing');
  }

  @EventPattern<Events>(OBSERVED, BROKER_TRANSPORT, { queue: 'b' })
  observed(@Payload() envelope: Envelope, @Ctx() context: unknown) {
    this.seen.record(OBSERVED, envelope, context);
    return throwError(() => new ValidationError('SPEC_OBSERVED', 'failed in the stream'));
  }

  @EventPattern<Events>(WILD, BROKER_TRANSPORT, { queue: 'c' })
  wild(@Payload() envelope: Envelope, @Ctx() context: unknown): void {
    this.seen.record(WILD, envelope, context);
  }
}

@Module({ controllers: [SpecConsumers], providers: [Seen] })
class SpecModule {}

async function startMicroservice(
  broker: InProcessBroker,
  module: unknown = SpecModule,
  filter = true,
): Promise<INestMicroservice> {
  const app = await NestFactory.createMicroservice(module as typeof SpecModule, {
    strategy: new BrokerTransport({ broker, namespace: NAMESPACE }),
    logger: false,
    abortOnError: false,
  });
  if (filter) app.useGlobalFilters(new BrokerExceptionFilter());
  await app.listen();
  return app;
}

const tick = (ms = 20): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('BrokerTransport (Nest custom transport over the broker port, in-process broker)', () => {
  const broker = new InProcessBroker({ maxDeliveries: 3, retryBackoffMs: 1 });
  let app: INestMicroservice;
  let seen: Seen;
  afterAll(async () => {
    await app.close();
    await broker.close();
  });

  it('subscribes one queue per logical queue, named <namespace>.<queue>, bound to its patterns', async () => {
    app = await startMicroservice(broker);
    seen = app.get(Seen);
    const transport = new BrokerTransport({ broker, namespace: NAMESPACE });
    for (const [pattern, handler] of (
      app as unknown as { serverInstance: BrokerTransport }
    ).serverInstance.getHandlers()) {
      transport.addHandler(pattern, handler, true, handler.extras);
    }
    const queues = transport.subscriptions();
    expect([...queues.entries()].map(([q, routes]) => [q, routes.map((r) => r.pattern).sort()])).toEqual([
      ['spec.a', [GATED, OK].sort()],
      ['spec.b', [FLAKY, OBSERVED, POISON, REJECTED].sort()],
      ['spec.c', [WILD]],
    ]);
  });

  it('calls the handler with the envelope and a context naming the queue and routing key', async () => {
    const sent = envelopeOf(OK, { text: 'ë€✓', list: [1, null] });
    await broker.publish(sent);
    const call = seen.calls.find((c) => c.envelope.messageId === sent.messageId);
    assert.ok(call, 'handled');
    expect(call.envelope).toEqual(sent);
    assert.equal(call.queue, 'spec.a');
    assert.equal(call.routingKey, OK);
  });

  it('routes by topic pattern within a queue', async () => {
    // `spec.wild.*` (one word after `spec.wild`) matches the routing key `spec.wild.v7`.
    const oneWord = envelopeOf('spec.wild.v7');
    await broker.publish(oneWord);
    const call = seen.calls.find((c) => c.envelope.messageId === oneWord.messageId);
    assert.equal(call?.key, WILD);
    assert.equal(call.routingKey, routingKeyOf(oneWord));
  });

  it('acknowledges only after the handler resolved (the in-process publish waits for the ack)', async () => {
    seen.reset();
    const sent = envelopeOf(GATED);
    let acked = false;
    const published = broker.publish(sent).then(() => (acked = true));
    await tick();
    assert.equal(acked, false, 'not acked while the handler runs');
    seen.open();
    await published;
    assert.equal(acked, true);
    assert.ok(seen.calls.some((c) => c.envelope.messageId === sent.messageId));
  });

  it('dead-letters at once when the handler rejects with a non-retryable DomainError', async () => {
    const sent = envelopeOf(REJECTED);
    await broker.publish(sent);
    const dead = broker.deadLetters().find((d) => d.envelope.messageId === sent.messageId);
    assert.equal(dead?.reason, 'rejected');
    assert.equal(dead.errorCode, 'SPEC_BAD');
    assert.equal(dead.queue, 'spec.b');
    assert.equal(seen.calls.filter((c) => c.envelope.messageId === sent.messageId).length, 1);
  });

  it('redelivers after a retryable failure, then acknowledges', async () => {
    const sent = envelopeOf(FLAKY);
    await broker.publish(sent);
    assert.equal(seen.flakyCalls, 2);
    assert.ok(seen.calls.some((c) => c.envelope.messageId === sent.messageId));
    assert.equal(
      broker.deadLetters().some((d) => d.envelope.messageId === sent.messageId),
      false,
    );
  });

  it('dead-letters a message whose handler throws on every delivery after maxDeliveries', async () => {
    const sent = envelopeOf(POISON);
    await broker.publish(sent);
    const dead = broker.deadLetters().find((d) => d.envelope.messageId === sent.messageId);
    assert.equal(dead?.reason, 'delivery-limit');
    assert.equal(dead.deliveries, 3);
    assert.equal(seen.calls.filter((c) => c.envelope.messageId === sent.messageId).length, 3);
  });

  it('treats an observable that errors like a rejected promise', async () => {
    const sent = envelopeOf(OBSERVED);
    await broker.publish(sent);
    const dead = broker.deadLetters().find((d) => d.envelope.messageId === sent.messageId);
    assert.equal(dead?.reason, 'rejected');
    assert.equal(dead.errorCode, 'SPEC_OBSERVED');
  });

  it('rejects (non-retryably) a message its queue has no handler for', async () => {
    const transport = new BrokerTransport({ broker, namespace: NAMESPACE });
    await assert.rejects(
      transport.handle('spec.a', [], envelopeOf(OK)),
      (e: unknown) =>
        e instanceof ValidationError && e.code === BrokerTransportErrorCode.NoHandler && !e.retryable,
    );
  });

  it('without the exception filter, a failure is still redelivered (never acknowledged)', async () => {
    const own = new InProcessBroker({ maxDeliveries: 2, retryBackoffMs: 1 });
    const other = await startMicroservice(own, SpecModule, false);
    try {
      const sent = envelopeOf(REJECTED);
      await own.publish(sent);
      const dead = own.deadLetters().find((d) => d.envelope.messageId === sent.messageId);
      assert.equal(dead?.reason, 'delivery-limit', 'Nest hides the error: retried, then dead-lettered');
    } finally {
      await other.close();
      await own.close();
    }
  });
});

describe('BrokerTransport refuses what it cannot carry', () => {
  it('refuses @MessagePattern (request-response) at listen', async () => {
    @Controller()
    class RequestResponse {
      @MessagePattern('spec.ask.v1', BROKER_TRANSPORT, { queue: 'a' })
      ask(): string {
        return 'answer';
      }
    }
    @Module({ controllers: [RequestResponse] })
    class AskModule {}
    const broker = new InProcessBroker();
    const app = await NestFactory.createMicroservice(AskModule, {
      strategy: new BrokerTransport({ broker, namespace: NAMESPACE }),
      logger: false,
      abortOnError: false,
    });
    await assert.rejects(app.listen(), /events only/);
    await app.close();
    await broker.close();
  });

  it('refuses an @EventPattern without a queue', async () => {
    @Controller()
    class NoQueue {
      @EventPattern<Events>('spec.lost.v1', BROKER_TRANSPORT)
      lost(@Payload() envelope: Envelope): string {
        return envelope.messageId;
      }
    }
    @Module({ controllers: [NoQueue] })
    class NoQueueModule {}
    const broker = new InProcessBroker();
    const app = await NestFactory.createMicroservice(NoQueueModule, {
      strategy: new BrokerTransport({ broker, namespace: NAMESPACE }),
      logger: false,
      abortOnError: false,
    });
    await assert.rejects(app.listen(), /needs \{ queue \}/);
    await app.close();
    await broker.close();
  });

  it('groups any set of handlers into queues: each pattern once, under <namespace>.<queue> (property)', () => {
    const word = fc.stringMatching(/^[a-z]{1,6}$/);
    fc.assert(
      fc.property(
        fc.uniqueArray(
          fc.tuple(fc.array(word, { minLength: 1, maxLength: 3 }), fc.integer({ min: 1, max: 9 })),
          {
            selector: ([words, v]) => `${words.join('.')}.v${v}`,
            maxLength: 12,
          },
        ),
        fc.array(fc.constantFrom('q1', 'q2', 'worker.records'), { minLength: 12, maxLength: 12 }),
        word,
        (keys, queues, namespace) => {
          const transport = new BrokerTransport({ broker: new InProcessBroker(), namespace });
          const expected = new Map<string, string[]>();
          keys.forEach(([words, v], i) => {
            const pattern = `${words.join('.')}.v${v}`;
            transport.addHandler(pattern, () => Promise.resolve(), true, { queue: queues[i] });
            const queue = `${namespace}.${queues[i]}`;
            expected.set(queue, [...(expected.get(queue) ?? []), pattern]);
          });
          const actual = transport.subscriptions();
          expect(new Map([...actual].map(([q, routes]) => [q, routes.map((r) => r.pattern)]))).toEqual(
            expected,
          );
        },
      ),
    );
  });
});

describe('BrokerClient (Nest client over the broker port)', () => {
  it('emit publishes the envelope and completes once the broker confirmed (processed in process)', async () => {
    const broker = new InProcessBroker();
    const received: Envelope[] = [];
    await broker.subscribe({
      queue: 'client',
      routingKeys: [OK],
      handler: (e) => {
        received.push(e);
        return Promise.resolve();
      },
    });
    const client = new BrokerClient(broker);
    const sent = envelopeOf(OK);
    await lastValueFrom(client.emit(OK, sent), { defaultValue: undefined });
    expect(received).toEqual([sent]);
    const second = envelopeOf(OK);
    await publisherOf(client).publish(second);
    expect(received).toEqual([sent, second]);
    await broker.close();
  });

  it("errors with the broker's own error (unroutable stays retryable)", async () => {
    const broker = new InProcessBroker();
    const client = new BrokerClient(broker);
    await assert.rejects(
      publisherOf(client).publish(envelopeOf('spec.nobody.v1')),
      (e: unknown) => e instanceof UnavailableError && e.code === 'BROKER_UNROUTABLE' && e.retryable,
    );
    await broker.close();
  });

  it('refuses a pattern other than the envelope routing key, and request-response', async () => {
    const broker = new InProcessBroker();
    const client = new BrokerClient(broker);
    await assert.rejects(
      lastValueFrom(client.emit('spec.other.v1', envelopeOf(OK))),
      (e: unknown) => e instanceof ValidationError && e.code === BrokerClientErrorCode.InvalidEvent,
    );
    await assert.rejects(lastValueFrom(client.send(OK, envelopeOf(OK))), /events only/);
    await broker.close();
  });
});
