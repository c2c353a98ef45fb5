import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:net';
import { describe, expect, it } from '@jest/globals';
import { DomainError } from '#domain';
import { anEnvelope } from '#testing';
import { BrokerErrorCode } from './broker.errors.js';
import type { BrokerLogger } from './broker.logger.js';
import { waitFor } from './broker-contract.test-support.js';
import { RabbitMqBroker } from './rabbitmq.broker.js';

const isUnavailable = (e: unknown): boolean =>
  e instanceof DomainError && e.code === BrokerErrorCode.Unavailable && e.retryable;

/** A TCP port that accepts and immediately drops connections: an AMQP server that is "down". */
async function refusingServer(): Promise<{ url: string; server: Server; accepted: () => number }> {
  let accepted = 0;
  const server = createServer((socket) => {
    accepted += 1;
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  assert.ok(address && typeof address === 'object');
  return { url: `amqp://guest:guest@127.0.0.1:${address.port}`, server, accepted: () => accepted };
}

function recordingLogger(): BrokerLogger & { entries: { level: string; obj: Record<string, unknown> }[] } {
  const entries: { level: string; obj: Record<string, unknown> }[] = [];
  return {
    entries,
    info: (obj) => void entries.push({ level: 'info', obj }),
    warn: (obj) => void entries.push({ level: 'warn', obj }),
    error: (obj) => void entries.push({ level: 'error', obj }),
  };
}

describe('RabbitMqBroker (no server needed)', () => {
  it('rejects publish with BROKER_UNAVAILABLE before it is connected, and the health check fails', async () => {
    const broker = new RabbitMqBroker({ url: 'amqp://127.0.0.1:1' });
    await assert.rejects(broker.publish(anEnvelope('a.b', {})), isUnavailable);
    await assert.rejects(broker.healthCheck().check(), isUnavailable);
    assert.equal(broker.healthCheck().name, 'broker');
    assert.equal(broker.isConnected(), false);
    await broker.close();
  });

  it('rejects an invalid envelope with a non-retryable error even when disconnected', async () => {
    const broker = new RabbitMqBroker({ url: 'amqp://127.0.0.1:1' });
    await assert.rejects(
      broker.publish({ ...anEnvelope('a.b', {}), messageId: '' }),
      (e: unknown) => e instanceof DomainError && !e.retryable,
    );
    await broker.close();
  });

  it('keeps retrying on the delay schedule (last delay repeats), logging each failure, until closed', async () => {
    const { url, server, accepted } = await refusingServer();
    const logger = recordingLogger();
    const broker = new RabbitMqBroker({ url, reconnectDelaysMs: [10, 20], logger });
    await assert.rejects(broker.connect({ timeoutMs: 300 }), isUnavailable);
    const failures = logger.entries.filter((e) => e.obj['code'] === 'BROKER_CONNECT_FAILED');
    assert.ok(failures.length >= 4, `several attempts were made (${failures.length})`);
    expect(failures.slice(0, 4).map((e) => e.obj['retryInMs'])).toEqual([10, 20, 20, 20]);
    assert.ok(accepted() >= 4);
    // Attempts go on in the background after the connect timeout …
    const before = accepted();
    await waitFor(() => accepted() > before, 'another attempt');
    // … and stop with close().
    await broker.close();
    const afterClose = accepted();
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(accepted(), afterClose, 'no attempts after close');
    await assert.rejects(broker.connect(), isUnavailable);
    server.close();
  });

  it('connect() without timeout is released by close()', async () => {
    const { url, server } = await refusingServer();
    const broker = new RabbitMqBroker({ url, reconnectDelaysMs: [10] });
    const connecting = assert.rejects(broker.connect(), isUnavailable);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await broker.close();
    await connecting;
    server.close();
  });

  it('declares quorum queues whose delivery limit allows exactly maxDeliveries deliveries', () => {
    const broker = new RabbitMqBroker({
      url: 'amqp://127.0.0.1:1',
      maxDeliveries: 4,
      deadLetterExchange: 'dlx',
    });
    expect(broker.queueArguments()).toEqual({
      'x-queue-type': 'quorum',
      'x-dead-letter-exchange': 'dlx',
      'x-delivery-limit': 3,
      'x-dead-letter-strategy': 'at-least-once',
      'x-overflow': 'reject-publish',
    });
  });

  it('validates its options', () => {
    assert.throws(() => new RabbitMqBroker({ url: '' }), RangeError);
    assert.throws(() => new RabbitMqBroker({ url: 'amqp://x', reconnectDelaysMs: [] }), RangeError);
    assert.throws(() => new RabbitMqBroker({ url: 'amqp://x', reconnectDelaysMs: [-1] }), RangeError);
    assert.throws(() => new RabbitMqBroker({ url: 'amqp://x', prefetch: 0 }), RangeError);
    assert.throws(() => new RabbitMqBroker({ url: 'amqp://x', maxDeliveries: 0 }), RangeError);
    assert.throws(() => new RabbitMqBroker({ url: 'amqp://x', publishTimeoutMs: 0 }), RangeError);
  });
});
