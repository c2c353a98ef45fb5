/**
 * The behaviour every broker must show, as Jest suites. Not a spec itself: the in-process spec and the
 * RabbitMQ int-spec call `runBrokerContract` with a harness for their broker. Test support only; not part
 * of the public index.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from '@jest/globals';
import {
  DomainError,
  UnavailableError,
  ValidationError,
  routingKeyOf,
  type Envelope,
  type HealthCheck,
  type MessageConsumer,
  type MessageHandler,
  type MessagePublisher,
} from '#domain';
import { anEnvelope, waitFor as waitUntil } from '#testing';
import { BrokerErrorCode } from './broker.errors.js';
import { InProcessBroker } from './in-process.broker.js';

export interface ContractBroker extends MessagePublisher, MessageConsumer {
  declareQueue(queue: string, routingKeys: readonly string[]): unknown;
  healthCheck(): HealthCheck;
  close(): Promise<void>;
}

export interface ObservedDeadLetter {
  readonly envelope: Envelope;
  /** Normalised: `rejected` or `delivery-limit`. */
  readonly reason: string;
}

export interface BrokerContractHarness {
  readonly name: string;
  /** The maxDeliveries the harness configures its brokers with (keep it small: 3). */
  readonly maxDeliveries: number;
  /** A new, ready (connected) broker. Closed by the test. */
  createBroker(): Promise<ContractBroker>;
  /** A queue name unique to this run; the harness removes it in `cleanup`. */
  queueName(label: string): string;
  /** Resolves with the dead-lettered copy of the message; rejects after `timeoutMs`. */
  waitForDeadLetter(
    broker: ContractBroker,
    messageId: string,
    timeoutMs: number,
  ): Promise<ObservedDeadLetter>;
  cleanup(): Promise<void>;
}

const TIMEOUT_MS = 5_000;
/** How long to watch for (unwanted) extra deliveries. */
const QUIET_MS = 250;

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until `condition` holds: the shared poller of `#testing`, at the broker tests' pace. */
export async function waitFor(condition: () => boolean, what: string, timeoutMs = TIMEOUT_MS): Promise<void> {
  await waitUntil(() => Promise.resolve(condition() ? true : undefined), { timeoutMs, intervalMs: 10, what });
}

/** A handler from a synchronous callback: resolves after it returned, rejects with what it threw. */
export function handle(callback: (envelope: Envelope) => unknown): MessageHandler {
  return (envelope) => {
    try {
      callback(envelope);
      return Promise.resolve();
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  };
}

/** A message type unique to the run, so tests never see each other's messages. */
export function uniqueType(label: string): string {
  return `contract.${label}.${randomUUID().slice(0, 8)}`;
}

/**
 * Publishes without letting the in-process broker's "publish resolves after processing" semantics block
 * the test: the promise is awaited later (both brokers must resolve it eventually).
 */
function publishInBackground(broker: ContractBroker, envelope: Envelope): Promise<void> {
  const pending = broker.publish(envelope);
  pending.catch(() => undefined);
  return pending;
}

export function runBrokerContract(harness: BrokerContractHarness): void {
  describe(`broker contract: ${harness.name}`, () => {
    afterAll(() => harness.cleanup());

    const withBroker = async (test: (broker: ContractBroker) => Promise<void>): Promise<void> => {
      const broker = await harness.createBroker();
      try {
        await test(broker);
      } finally {
        await broker.close();
      }
    };

    it('delivers a published envelope unchanged', () =>
      withBroker(async (broker) => {
        const type = uniqueType('roundtrip');
        const received: Envelope[] = [];
        await broker.subscribe({
          queue: harness.queueName('roundtrip'),
          routingKeys: [`${type}.v2`],
          handler: handle((envelope) => {
            received.push(envelope);
          }),
        });
        const sent = anEnvelope(
          type,
          {
            batchId: 'b-1',
            board: 'BRIN00',
            recordCount: 3,
            nested: { list: [1, 'twee', null] },
            text: 'ë€✓',
          },
          2,
        );
        await publishInBackground(broker, sent);
        await waitFor(() => received.length === 1, 'the message');
        expect(received[0]).toEqual(sent);
        await sleep(QUIET_MS);
        assert.equal(received.length, 1, 'delivered exactly once');
      }));

    it('gives every bound queue its own copy', () =>
      withBroker(async (broker) => {
        const type = uniqueType('fanout');
        const a: string[] = [];
        const b: string[] = [];
        const key = routingKeyOf({ type, version: 1 });
        await broker.subscribe({
          queue: harness.queueName('copy-a'),
          routingKeys: [key],
          handler: handle((e) => a.push(e.messageId)),
        });
        await broker.subscribe({
          queue: harness.queueName('copy-b'),
          routingKeys: [key],
          handler: handle((e) => b.push(e.messageId)),
        });
        const sent = [anEnvelope(type, { n: 1 }), anEnvelope(type, { n: 2 })];
        await Promise.all(sent.map((e) => publishInBackground(broker, e)));
        await waitFor(() => a.length === 2 && b.length === 2, 'both queues to receive both messages');
        const ids = sent.map((e) => e.messageId).sort();
        expect([...a].sort()).toEqual(ids);
        expect([...b].sort()).toEqual(ids);
      }));

    it('routes with topic wildcards (* one word, # any words) and ignores other keys', () =>
      withBroker(async (broker) => {
        const type = uniqueType('wild');
        const star: string[] = [];
        const hash: string[] = [];
        await broker.subscribe({
          queue: harness.queueName('wild-star'),
          routingKeys: [`${type}.*`],
          handler: handle((e) => star.push(e.type)),
        });
        await broker.subscribe({
          queue: harness.queueName('wild-hash'),
          routingKeys: [`${type}.#`],
          handler: handle((e) => hash.push(e.type)),
        });
        await Promise.all([
          publishInBackground(broker, anEnvelope(type, {})), // `${type}.v1`: both
          publishInBackground(broker, anEnvelope(`${type}.deep`, {})), // `${type}.deep.v1`: only #
        ]);
        await waitFor(() => star.length === 1 && hash.length === 2, 'wildcard deliveries');
        await sleep(QUIET_MS);
        expect(star).toEqual([type]);
        expect([...hash].sort()).toEqual([type, `${type}.deep`].sort());
      }));

    it('splits one queue between competing consumers without duplicates', () =>
      withBroker(async (broker) => {
        const type = uniqueType('compete');
        const queue = harness.queueName('compete');
        const byConsumer: string[][] = [[], []];
        for (const seen of byConsumer) {
          await broker.subscribe({
            queue,
            routingKeys: [routingKeyOf({ type, version: 1 })],
            handler: async (e) => {
              await sleep(5);
              seen.push(e.messageId);
            },
          });
        }
        const sent = Array.from({ length: 20 }, (_, n) => anEnvelope(type, { n }));
        await Promise.all(sent.map((e) => publishInBackground(broker, e)));
        const total = (): number => byConsumer[0].length + byConsumer[1].length;
        await waitFor(() => total() === sent.length, 'all messages');
        await sleep(QUIET_MS);
        const all = [...byConsumer[0], ...byConsumer[1]];
        assert.equal(all.length, sent.length, 'no message delivered twice');
        expect([...new Set(all)].sort()).toEqual(sent.map((e) => e.messageId).sort());
        assert.ok(
          byConsumer[0].length > 0 && byConsumer[1].length > 0,
          `both consumers got work: ${total()}`,
        );
      }));

    for (const [label, makeError] of [
      ['a retryable DomainError', () => new UnavailableError('DB_DOWN', 'database briefly unavailable')],
      ['an unknown error', () => new TypeError('boom')],
    ] as const) {
      it(`redelivers a message whose handler failed once with ${label}, then processes it`, () =>
        withBroker(async (broker) => {
          const type = uniqueType('retry');
          let calls = 0;
          const done: string[] = [];
          await broker.subscribe({
            queue: harness.queueName('retry'),
            routingKeys: [routingKeyOf({ type, version: 1 })],
            handler: handle((e) => {
              calls += 1;
              if (calls === 1) throw makeError();
              done.push(e.messageId);
            }),
          });
          const sent = anEnvelope(type, { n: 1 });
          await publishInBackground(broker, sent);
          await waitFor(() => done.length === 1, 'the redelivered message to be processed');
          await sleep(QUIET_MS);
          assert.equal(calls, 2);
          expect(done).toEqual([sent.messageId]);
          await assert.rejects(harness.waitForDeadLetter(broker, sent.messageId, 100), /timed out/);
        }));
    }

    it('dead-letters a message rejected with a non-retryable DomainError at once, without redelivery', () =>
      withBroker(async (broker) => {
        const type = uniqueType('reject');
        let calls = 0;
        await broker.subscribe({
          queue: harness.queueName('reject'),
          routingKeys: [routingKeyOf({ type, version: 1 })],
          handler: handle(() => {
            calls += 1;
            throw new ValidationError('BAD_BATCH', 'the batch does not exist');
          }),
        });
        const sent = anEnvelope(type, { batchId: 'missing' });
        await publishInBackground(broker, sent);
        const dead = await harness.waitForDeadLetter(broker, sent.messageId, TIMEOUT_MS);
        expect(dead.envelope).toEqual(sent);
        assert.equal(dead.reason, 'rejected');
        await sleep(QUIET_MS);
        assert.equal(calls, 1, 'not redelivered');
      }));

    it('dead-letters a poison message after maxDeliveries attempts', () =>
      withBroker(async (broker) => {
        const type = uniqueType('poison');
        let calls = 0;
        await broker.subscribe({
          queue: harness.queueName('poison'),
          routingKeys: [routingKeyOf({ type, version: 1 })],
          handler: handle(() => {
            calls += 1;
            throw new DomainError('FLAKY', 'unavailable', 'always failing', [], true);
          }),
        });
        const sent = anEnvelope(type, { n: 1 });
        await publishInBackground(broker, sent);
        const dead = await harness.waitForDeadLetter(broker, sent.messageId, TIMEOUT_MS);
        expect(dead.envelope).toEqual(sent);
        assert.equal(dead.reason, 'delivery-limit');
        await sleep(QUIET_MS);
        assert.equal(calls, harness.maxDeliveries);
      }));

    it('keeps messages for a declared queue until a consumer subscribes', () =>
      withBroker(async (broker) => {
        const type = uniqueType('declared');
        const queue = harness.queueName('declared');
        const key = routingKeyOf({ type, version: 1 });
        await broker.declareQueue(queue, [key]);
        const sent = anEnvelope(type, { n: 1 });
        const published = publishInBackground(broker, sent);
        await sleep(50);
        const received: Envelope[] = [];
        await broker.subscribe({ queue, routingKeys: [key], handler: handle((e) => received.push(e)) });
        await published;
        await waitFor(() => received.length === 1, 'the buffered message');
        expect(received[0]).toEqual(sent);
      }));

    it('refuses (retryably) a message no queue is bound for, instead of losing it', () =>
      withBroker(async (broker) => {
        const error = await broker.publish(anEnvelope(uniqueType('nobody'), {})).then(
          () => null,
          (e: unknown) => e,
        );
        assert.ok(error instanceof DomainError, 'rejects with a DomainError');
        assert.equal(error.code, BrokerErrorCode.Unroutable);
        assert.equal(error.retryable, true);
      }));

    it('rejects an invalid envelope without publishing it', () =>
      withBroker(async (broker) => {
        const bad = { ...anEnvelope(uniqueType('invalid'), {}), version: 0 };
        await assert.rejects(broker.publish(bad), (e: unknown) => e instanceof DomainError && !e.retryable);
      }));

    it('reports healthy while open; after close, health and publish fail with BROKER_UNAVAILABLE', async () => {
      const broker = await harness.createBroker();
      const health = broker.healthCheck();
      assert.equal(health.name, 'broker');
      await health.check();
      await broker.close();
      const isUnavailable = (e: unknown): boolean =>
        e instanceof DomainError && e.code === BrokerErrorCode.Unavailable && e.retryable;
      await assert.rejects(health.check(), isUnavailable);
      await assert.rejects(broker.publish(anEnvelope(uniqueType('closed'), {})), isUnavailable);
    });
  });
}

/** The harness for the in-process broker (in-process.broker.spec.ts). */
export function inProcessHarness(maxDeliveries = 3): BrokerContractHarness {
  return {
    name: 'InProcessBroker',
    maxDeliveries,
    createBroker: () => Promise.resolve(new InProcessBroker({ maxDeliveries, retryBackoffMs: 2 })),
    queueName: (label) => `contract.${label}.${randomUUID().slice(0, 8)}`,
    waitForDeadLetter: async (broker, messageId, timeoutMs) => {
      assert.ok(broker instanceof InProcessBroker);
      const find = () => broker.deadLetters().find((d) => d.envelope.messageId === messageId);
      await waitFor(() => find() !== undefined, `dead letter ${messageId}`, timeoutMs);
      const dead = find()!;
      return { envelope: dead.envelope, reason: dead.reason };
    },
    cleanup: () => Promise.resolve(),
  };
}
