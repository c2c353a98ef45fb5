import assert from 'node:assert/strict';
import { describe, expect, it } from '@jest/globals';
import { DomainError, NotFoundError, routingKeyOf, type Envelope } from '#domain';
import { anEnvelope } from '#testing';
import { BrokerErrorCode, UNEXPECTED_HANDLER_ERROR } from './broker.errors.js';
import type { BrokerLogger } from './broker.logger.js';
import {
  handle,
  inProcessHarness,
  runBrokerContract,
  sleep,
  waitFor,
} from './broker-contract.test-support.js';
import { InProcessBroker } from './in-process.broker.js';

runBrokerContract(inProcessHarness());

const TYPE = 'canonical-records.changed';
const KEY = routingKeyOf({ type: TYPE, version: 1 });

function gate(): { promise: Promise<void>; open(): void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

const isUnavailable = (e: unknown): boolean =>
  e instanceof DomainError && e.code === BrokerErrorCode.Unavailable && e.retryable;

describe('InProcessBroker', () => {
  it('resolves publish only after the handler finished (the embedded confirm)', async () => {
    const broker = new InProcessBroker();
    const handlerGate = gate();
    let finished = false;
    await broker.subscribe({
      queue: 'q',
      routingKeys: [KEY],
      handler: async () => {
        await handlerGate.promise;
        finished = true;
      },
    });
    let resolved = false;
    const published = broker.publish(anEnvelope(TYPE, {})).then(() => (resolved = true));
    await sleep(30);
    assert.equal(resolved, false, 'publish must wait for the handler');
    handlerGate.open();
    await published;
    assert.equal(finished, true);
    await broker.close();
  });

  it('waits for every matching queue before resolving publish', async () => {
    const broker = new InProcessBroker();
    const slow = gate();
    const done: string[] = [];
    await broker.subscribe({
      queue: 'fast',
      routingKeys: [KEY],
      handler: handle(() => done.push('fast')),
    });
    await broker.subscribe({
      queue: 'slow',
      routingKeys: [KEY],
      handler: async () => {
        await slow.promise;
        done.push('slow');
      },
    });
    let resolved = false;
    const published = broker.publish(anEnvelope(TYPE, {})).then(() => (resolved = true));
    await waitFor(() => done.includes('fast'), 'fast queue');
    await sleep(20);
    assert.equal(resolved, false);
    slow.open();
    await published;
    expect(done.sort()).toEqual(['fast', 'slow']);
    await broker.close();
  });

  it('never calls a handler synchronously inside publish', async () => {
    const broker = new InProcessBroker();
    let called = false;
    await broker.subscribe({ queue: 'q', routingKeys: [KEY], handler: handle(() => (called = true)) });
    const published = broker.publish(anEnvelope(TYPE, {}));
    assert.equal(called, false);
    await published;
    assert.equal(called, true);
    await broker.close();
  });

  it('records dead letters with queue, reason, error code and delivery count, and resolves publish', async () => {
    const broker = new InProcessBroker({ maxDeliveries: 2, retryBackoffMs: 1 });
    await broker.subscribe({
      queue: 'rejecting',
      routingKeys: [KEY],
      handler: handle(() => {
        throw new NotFoundError('BATCH_NOT_FOUND', 'no such batch');
      }),
    });
    await broker.subscribe({
      queue: 'crashing',
      routingKeys: [KEY],
      handler: handle(() => {
        throw new Error('contains 123456789 personal data');
      }),
    });
    const sent = anEnvelope(TYPE, { batchId: 'b' });
    await broker.publish(sent);
    const dead = [...broker.deadLetters()].sort((a, b) => a.queue.localeCompare(b.queue));
    assert.equal(dead.length, 2);
    expect(
      dead.map(({ queue, reason, errorCode, deliveries }) => ({ queue, reason, errorCode, deliveries })),
    ).toEqual([
      { queue: 'crashing', reason: 'delivery-limit', errorCode: UNEXPECTED_HANDLER_ERROR, deliveries: 2 },
      { queue: 'rejecting', reason: 'rejected', errorCode: 'BATCH_NOT_FOUND', deliveries: 1 },
    ]);
    expect(dead[0].envelope).toEqual(sent);
    assert.ok(dead[0].deadLetteredAt instanceof Date);
    assert.ok(!JSON.stringify(dead).includes('123456789'), 'no error message is kept');
    await broker.close();
  });

  it('backs off between redeliveries (retryBackoffMs × delivery)', async () => {
    const broker = new InProcessBroker({ maxDeliveries: 3, retryBackoffMs: 40 });
    const at: number[] = [];
    await broker.subscribe({
      queue: 'q',
      routingKeys: [KEY],
      handler: handle(() => {
        at.push(Date.now());
        throw new Error('again');
      }),
    });
    await broker.publish(anEnvelope(TYPE, {}));
    assert.equal(at.length, 3);
    assert.ok(at[1] - at[0] >= 35, `first backoff ${at[1] - at[0]} ms`);
    assert.ok(at[2] - at[1] >= 75, `second backoff ${at[2] - at[1]} ms`);
    await broker.close();
  });

  it('hands every delivery its own copy of the envelope', async () => {
    const broker = new InProcessBroker();
    const seen: Envelope[] = [];
    for (const queue of ['a', 'b']) {
      await broker.subscribe({
        queue,
        routingKeys: [KEY],
        handler: handle((e) => {
          seen.push(e);
          (e.payload as { n: number }).n += 1;
        }),
      });
    }
    const sent = anEnvelope(TYPE, { n: 1 });
    await broker.publish(sent);
    assert.equal(seen.length, 2);
    assert.notEqual(seen[0], seen[1]);
    assert.equal(sent.payload.n, 1, 'the publisher’s object is untouched');
    expect(seen.map((e) => (e.payload as { n: number }).n)).toEqual([2, 2]);
    await broker.close();
  });

  it('alternates competing consumers round-robin', async () => {
    const broker = new InProcessBroker();
    const order: string[] = [];
    for (const name of ['one', 'two']) {
      await broker.subscribe({
        queue: 'shared',
        routingKeys: [KEY],
        handler: handle(() => order.push(name)),
      });
    }
    for (let i = 0; i < 4; i++) await broker.publish(anEnvelope(TYPE, { i }));
    expect(order).toEqual(['one', 'two', 'one', 'two']);
    await broker.close();
  });

  it('delivers messages buffered before subscribe in publish order', async () => {
    const broker = new InProcessBroker();
    broker.declareQueue('buffered', [KEY]);
    const sent = [1, 2, 3].map((n) => anEnvelope(TYPE, { n }));
    const published = Promise.all(sent.map((e) => broker.publish(e)));
    const order: string[] = [];
    await broker.subscribe({
      queue: 'buffered',
      routingKeys: [],
      handler: handle((e) => order.push(e.messageId)),
    });
    await published;
    expect(order).toEqual(sent.map((e) => e.messageId));
    await broker.close();
  });

  it('on close, rejects publishes still waiting for a consumer or a redelivery with BROKER_UNAVAILABLE', async () => {
    const broker = new InProcessBroker({ retryBackoffMs: 10_000 });
    broker.declareQueue('no-consumer', [`${TYPE}.waiting.v1`]);
    const waiting = broker.publish(anEnvelope(`${TYPE}.waiting`, {}));
    let calls = 0;
    await broker.subscribe({
      queue: 'failing',
      routingKeys: [KEY],
      handler: handle(() => {
        calls += 1;
        throw new Error('retry later');
      }),
    });
    const backingOff = broker.publish(anEnvelope(TYPE, {}));
    await waitFor(() => calls === 1, 'first delivery');
    await broker.close();
    await assert.rejects(waiting, isUnavailable);
    await assert.rejects(backingOff, isUnavailable);
    assert.equal(calls, 1, 'no redelivery after close');
    assert.throws(() => broker.declareQueue('x', [KEY]), isUnavailable);
    await assert.rejects(
      broker.subscribe({ queue: 'x', routingKeys: [KEY], handler: handle(() => undefined) }),
      isUnavailable,
    );
    assert.equal(broker.isConnected(), false);
  });

  it("drops unroutable messages when configured with onUnroutable: 'drop', logging a warning", async () => {
    const warnings: Record<string, unknown>[] = [];
    const logger: BrokerLogger = {
      info: () => undefined,
      warn: (o) => void warnings.push(o),
      error: () => undefined,
    };
    const broker = new InProcessBroker({ onUnroutable: 'drop', logger });
    await broker.publish(anEnvelope('nobody.listens', {}));
    assert.equal(warnings[0]?.['code'], BrokerErrorCode.Unroutable);
    await broker.close();
  });

  it('validates maxDeliveries', () => {
    assert.throws(() => new InProcessBroker({ maxDeliveries: 0 }), RangeError);
    assert.throws(() => new InProcessBroker({ maxDeliveries: 1.5 }), RangeError);
  });
});
