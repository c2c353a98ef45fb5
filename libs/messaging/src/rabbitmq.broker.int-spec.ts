/**
 * RabbitMqBroker against a real RabbitMQ (AMQP_URL, e.g. amqp://guest:guest@127.0.0.1:5672). Every run
 * uses its own exchanges and queues (random suffix) and deletes them afterwards. Without AMQP_URL the test
 * runner leaves this file out (`SERVER_SUITES` in jest.config.mjs) and its closing line names it; the in-process
 * broker's contract runs in in-process.broker.spec.ts.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import type { Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { promisify } from 'node:util';
import amqp from 'amqplib';
import type { Channel, ChannelModel } from 'amqplib';
import { DomainError, ValidationError, routingKeyOf, type Envelope } from '#domain';
import { anEnvelope } from '#testing';
import { BrokerErrorCode } from './broker.errors.js';
import type { BrokerLogger } from './broker.logger.js';
import {
  handle,
  runBrokerContract,
  sleep,
  uniqueType,
  waitFor,
  type BrokerContractHarness,
  type ObservedDeadLetter,
} from './broker-contract.test-support.js';
import { decodeEnvelope } from './envelope.codec.js';
import { RabbitMqBroker, type RabbitMqBrokerOptions } from './rabbitmq.broker.js';

const AMQP_URL: string = (() => {
  const url = process.env['AMQP_URL'];
  if (!url)
    throw new Error('rabbitmq.broker.int-spec.ts needs AMQP_URL (jest.config.mjs leaves it out without one)');
  return url;
})();
const execFileAsync = promisify(execFile);
const MAX_DELIVERIES = 3;

interface LogEntry {
  readonly level: 'info' | 'warn' | 'error';
  readonly obj: Record<string, unknown>;
  readonly msg: string;
}

function recordingLogger(): BrokerLogger & { entries: LogEntry[]; codes(): unknown[] } {
  const entries: LogEntry[] = [];
  return {
    entries,
    codes: () => entries.map((e) => e.obj['code']),
    info: (obj, msg) => void entries.push({ level: 'info', obj, msg }),
    warn: (obj, msg) => void entries.push({ level: 'warn', obj, msg }),
    error: (obj, msg) => void entries.push({ level: 'error', obj, msg }),
  };
}

const isUnavailable = (e: unknown): boolean =>
  e instanceof DomainError && e.code === BrokerErrorCode.Unavailable && e.retryable;

/** Names and raw (plain amqplib) access for one test run; deletes everything it was told about. */
class TestTopology {
  readonly run = randomUUID().slice(0, 8);
  readonly exchange = `ketenpoort.test.${this.run}.events`;
  readonly deadLetterExchange = `ketenpoort.test.${this.run}.dlx`;
  readonly deadLetterQueue = `ketenpoort.test.${this.run}.dead-letter`;
  private readonly queues = new Set<string>([this.deadLetterQueue]);
  private readonly exchanges = new Set<string>([this.exchange, this.deadLetterExchange]);
  private connection: ChannelModel | null = null;
  /** Every broker a test made, closed in cleanup even when the test failed half-way. */
  private readonly brokers = new Set<RabbitMqBroker>();

  constructor(private readonly url: string) {}

  queue(label: string): string {
    const name = `ketenpoort.test.${this.run}.${label}.${randomUUID().slice(0, 6)}`;
    this.queues.add(name);
    return name;
  }

  /** A separate dead-letter exchange/queue pair (for tests that read the dead letters themselves). */
  deadLetterPair(label: string): { deadLetterExchange: string; deadLetterQueue: string } {
    const deadLetterExchange = `ketenpoort.test.${this.run}.${label}.dlx`;
    this.exchanges.add(deadLetterExchange);
    return { deadLetterExchange, deadLetterQueue: this.queue(`${label}.dead-letter`) };
  }

  options(extra: Partial<RabbitMqBrokerOptions> = {}): RabbitMqBrokerOptions {
    return {
      url: this.url,
      exchange: this.exchange,
      deadLetterExchange: this.deadLetterExchange,
      deadLetterQueue: this.deadLetterQueue,
      maxDeliveries: MAX_DELIVERIES,
      retryBackoffMs: 2,
      reconnectDelaysMs: [100, 200],
      closeTimeoutMs: 500,
      publishTimeoutMs: 5_000,
      connectionName: `ketenpoort-test-${this.run}`,
      ...extra,
    };
  }

  broker(extra: Partial<RabbitMqBrokerOptions> = {}): RabbitMqBroker {
    const broker = new RabbitMqBroker(this.options(extra));
    this.brokers.add(broker);
    return broker;
  }

  async connected(extra: Partial<RabbitMqBrokerOptions> = {}): Promise<RabbitMqBroker> {
    const broker = this.broker(extra);
    await broker.connect({ timeoutMs: 5_000 });
    return broker;
  }

  async raw(): Promise<ChannelModel> {
    if (!this.connection) {
      this.connection = await amqp.connect(this.url, {
        clientProperties: { connection_name: `ketenpoort-test-${this.run}-raw` },
      });
      this.connection.on('error', () => undefined);
    }
    return this.connection;
  }

  /** A fresh raw channel (a failed passive declare closes its channel, so tests take one each). */
  async channel(): Promise<Channel> {
    const channel = await (await this.raw()).createChannel();
    channel.on('error', () => undefined);
    return channel;
  }

  async cleanup(): Promise<void> {
    await Promise.allSettled([...this.brokers].map((broker) => broker.close()));
    const connection = this.connection ?? (await this.raw());
    for (const queue of this.queues) {
      const channel = await connection.createChannel();
      channel.on('error', () => undefined);
      await channel.deleteQueue(queue).catch(() => undefined);
      await channel.close().catch(() => undefined);
    }
    for (const exchange of this.exchanges) {
      const channel = await connection.createChannel();
      channel.on('error', () => undefined);
      await channel.deleteExchange(exchange).catch(() => undefined);
      await channel.close().catch(() => undefined);
    }
    await connection.close().catch(() => undefined);
    this.connection = null;
  }
}

function normaliseReason(reason: unknown): string {
  return typeof reason === 'string' ? reason.replace(/_/g, '-') : '';
}

function rabbitHarness(topology: TestTopology): BrokerContractHarness {
  const deadLetters = new Map<string, ObservedDeadLetter>();
  let reader: Promise<void> | null = null;
  const startReader = (): Promise<void> =>
    (reader ??= (async () => {
      const channel = await topology.channel();
      await channel.consume(topology.deadLetterQueue, (message) => {
        if (!message) return;
        const envelope = decodeEnvelope(message.content);
        if (envelope) {
          deadLetters.set(envelope.messageId, {
            envelope,
            reason: normaliseReason(message.properties.headers?.['x-first-death-reason']),
          });
        }
        channel.ack(message);
      });
    })());
  return {
    name: 'RabbitMqBroker',
    maxDeliveries: MAX_DELIVERIES,
    createBroker: async () => {
      const broker = await topology.connected();
      await startReader(); // the broker declared the dead-letter queue
      return broker;
    },
    queueName: (label) => topology.queue(label),
    waitForDeadLetter: async (_broker, messageId, timeoutMs) => {
      await startReader();
      await waitFor(() => deadLetters.has(messageId), `dead letter ${messageId}`, timeoutMs);
      return deadLetters.get(messageId)!;
    },
    cleanup: () => Promise.resolve(), // the topology is removed once, after all suites
  };
}

/** Closes the broker's connection from the server side (rabbitmqctl), else by breaking its socket. */
async function dropConnection(connectionName: string, broker: RabbitMqBroker): Promise<'server' | 'socket'> {
  try {
    const { stdout } = await execFileAsync('rabbitmqctl', [
      'list_connections',
      'pid',
      'client_properties',
      '--quiet',
      '--no-table-headers',
    ]);
    const line = stdout.split('\n').find((l) => l.includes(`"${connectionName}"`));
    if (!line) throw new Error(`connection ${connectionName} not listed`);
    await execFileAsync('rabbitmqctl', [
      'close_connection',
      line.split('\t')[0],
      'ketenpoort test: forced close',
    ]);
    return 'server';
  } catch {
    const session = broker['session'];
    assert.ok(session, 'broker has a session to break');
    const connection = session.model.connection as unknown as { stream: Socket };
    connection.stream.destroy(new Error('ketenpoort test: socket broken'));
    return 'socket';
  }
}

function gate(): { promise: Promise<void>; open(): void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

const topology = new TestTopology(AMQP_URL);
afterAll(() => topology.cleanup());

runBrokerContract(rabbitHarness(topology));

describe('RabbitMqBroker against RabbitMQ', () => {
  let broker: RabbitMqBroker;
  beforeAll(async () => {
    broker = await topology.connected();
  });
  afterAll(() => broker.close());

  it('publishes persistent JSON with messageId and idempotency, type and version headers', async () => {
    const type = uniqueType('props');
    const channel = await topology.channel();
    const { queue } = await channel.assertQueue('', { exclusive: true });
    await channel.bindQueue(queue, topology.exchange, routingKeyOf({ type, version: 3 }));
    const sent = anEnvelope(type, { batchId: 'b-9' }, 3);
    await broker.publish(sent);
    let message = await channel.get(queue, { noAck: true });
    for (let i = 0; !message && i < 50; i++) {
      await sleep(10);
      message = await channel.get(queue, { noAck: true });
    }
    assert.ok(message, 'message arrived');
    const { properties, fields } = message;
    assert.equal(fields.routingKey, `${type}.v3`);
    assert.equal(properties.deliveryMode, 2, 'persistent');
    assert.equal(properties.contentType, 'application/json');
    assert.equal(properties.messageId, sent.messageId);
    assert.equal(properties.type, type);
    assert.equal(properties.headers?.['x-idempotency-key'], sent.idempotencyKey);
    assert.equal(properties.headers?.['x-message-type'], type);
    assert.equal(properties.headers?.['x-message-version'], 3);
    expect(JSON.parse(message.content.toString('utf8'))).toEqual(sent);
    await channel.close();
  });

  it('declares a durable topic exchange and durable quorum queues with dead-lettering and the delivery limit', async () => {
    const queue = topology.queue('args');
    await broker.subscribe({ queue, routingKeys: ['args.v1'], handler: handle(() => undefined) });
    // Re-declaring with the same arguments succeeds; any difference is refused by the server.
    const same = await topology.channel();
    await same.assertQueue(queue, { durable: true, arguments: broker.queueArguments() });
    await same.assertExchange(topology.exchange, 'topic', { durable: true });
    await same.assertExchange(topology.deadLetterExchange, 'fanout', { durable: true });
    await same.close();
    const differing: [string, (channel: Channel) => Promise<unknown>][] = [
      [
        'classic type',
        (c) => c.assertQueue(queue, { durable: true, arguments: { 'x-queue-type': 'classic' } }),
      ],
      [
        'other delivery limit',
        (c) =>
          c.assertQueue(queue, {
            durable: true,
            arguments: { ...broker.queueArguments(), 'x-delivery-limit': MAX_DELIVERIES + 5 },
          }),
      ],
      [
        'no dead-letter exchange',
        (c) =>
          c.assertQueue(queue, {
            durable: true,
            arguments: { ...broker.queueArguments(), 'x-dead-letter-exchange': 'elsewhere' },
          }),
      ],
      ['fanout events exchange', (c) => c.assertExchange(topology.exchange, 'fanout', { durable: true })],
      ['non-durable exchange', (c) => c.assertExchange(topology.exchange, 'topic', { durable: false })],
    ];
    for (const [label, declare] of differing) {
      const channel = await topology.channel();
      await assert.rejects(declare(channel), /PRECONDITION_FAILED|406/, label);
    }
  });

  it('acknowledges only after the handler resolved: an unfinished message goes to the next consumer', async () => {
    const type = uniqueType('ack');
    const queue = topology.queue('ack');
    const key = routingKeyOf({ type, version: 1 });
    const loggerA = recordingLogger();
    const consumerA = await topology.connected({ closeTimeoutMs: 100, logger: loggerA });
    const held = gate();
    const seenByA: string[] = [];
    await consumerA.subscribe({
      queue,
      routingKeys: [key],
      handler: async (e) => {
        seenByA.push(e.messageId);
        await held.promise;
      },
    });
    const sent = anEnvelope(type, { n: 1 });
    await broker.publish(sent);
    await waitFor(() => seenByA.length === 1, 'consumer A to start handling');

    // A goes away while its handler is still busy: nothing was acknowledged.
    await consumerA.close();

    const consumerB = await topology.connected();
    const seenByB: string[] = [];
    await consumerB.subscribe({
      queue,
      routingKeys: [key],
      handler: handle((e) => seenByB.push(e.messageId)),
    });
    await waitFor(() => seenByB.length === 1, 'consumer B to get the unacknowledged message');
    expect(seenByB).toEqual([sent.messageId]);

    // A's handler finishing late cannot acknowledge on its closed channel, and does not throw.
    held.open();
    await waitFor(() => loggerA.codes().includes('BROKER_SETTLE_FAILED'), 'A to log the failed ack');

    await sleep(200);
    expect(seenByB).toEqual([sent.messageId]); // 'B got it exactly once'
    await consumerB.close();
    const channel = await topology.channel();
    const { messageCount } = await channel.checkQueue(queue);
    assert.equal(messageCount, 0, 'B acknowledged it');
    await channel.close();
  });

  it('puts rejected and invalid messages in the dead-letter queue (read with a raw channel)', async () => {
    const pair = topology.deadLetterPair('dlq-raw');
    const logger = recordingLogger();
    const own = await topology.connected({ ...pair, logger });
    const type = uniqueType('dlq');
    const queue = topology.queue('dlq');
    const key = routingKeyOf({ type, version: 1 });
    let calls = 0;
    await own.subscribe({
      queue,
      routingKeys: [key],
      handler: handle(() => {
        calls += 1;
        throw new ValidationError('BATCH_UNKNOWN', 'unknown batch');
      }),
    });
    const sent = anEnvelope(type, { batchId: 'x' });
    await own.publish(sent);

    const channel = await topology.channel();
    // Not JSON, published around the broker: must not reach the handler.
    channel.publish(topology.exchange, key, Buffer.from('{"bsn": "123456782", oops'), {
      messageId: 'garbage-1',
      persistent: true,
    });

    const dead: amqp.GetMessage[] = [];
    for (let i = 0; dead.length < 2 && i < 200; i++) {
      const message = await channel.get(pair.deadLetterQueue, { noAck: true });
      if (message) dead.push(message);
      else await sleep(20);
    }
    assert.equal(dead.length, 2);
    const byId = new Map(dead.map((m) => [m.properties.messageId as string, m]));

    const rejected = byId.get(sent.messageId);
    assert.ok(rejected, 'the rejected message is dead-lettered');
    expect(decodeEnvelope(rejected.content)).toEqual(sent);
    assert.equal(rejected.properties.headers?.['x-first-death-reason'], 'rejected');
    assert.equal(rejected.properties.headers?.['x-first-death-queue'], queue);
    assert.equal(rejected.properties.headers?.['x-idempotency-key'], sent.idempotencyKey);
    assert.equal(rejected.properties.deliveryMode, 2);

    const garbage = byId.get('garbage-1');
    assert.ok(garbage, 'the invalid message is dead-lettered');
    assert.equal(garbage.properties.headers?.['x-first-death-reason'], 'rejected');

    assert.equal(calls, 1, 'the handler saw only the valid message, once');
    const rejectedLog = logger.entries.find((e) => e.obj['code'] === 'BROKER_MESSAGE_REJECTED');
    assert.equal(rejectedLog?.obj['errorCode'], 'BATCH_UNKNOWN');
    const invalidLog = logger.entries.find((e) => e.obj['code'] === 'BROKER_INVALID_MESSAGE');
    assert.equal(invalidLog?.obj['messageId'], 'garbage-1');
    assert.ok(!JSON.stringify(logger.entries).includes('123456782'), 'the body is never logged');
    await channel.close();
    await own.close();
  });

  it('reconnects after the connection is dropped, rejecting publishes with BROKER_UNAVAILABLE meanwhile', async () => {
    const logger = recordingLogger();
    const connectionName = `ketenpoort-test-${topology.run}-reconnect`;
    const resilient = await topology.connected({ connectionName, reconnectDelaysMs: [300], logger });
    const type = uniqueType('reconnect');
    const received: Envelope[] = [];
    await resilient.subscribe({
      queue: topology.queue('reconnect'),
      routingKeys: [routingKeyOf({ type, version: 1 })],
      handler: handle((e) => received.push(e)),
    });
    await resilient.publish(anEnvelope(type, { n: 1 }));
    await waitFor(() => received.length === 1, 'the first message');

    const how = await dropConnection(connectionName, resilient);
    await waitFor(() => !resilient.isConnected(), 'the client to notice the drop', 2_000);
    const started = Date.now();
    await assert.rejects(resilient.publish(anEnvelope(type, { n: 2 })), isUnavailable);
    assert.ok(Date.now() - started < 500, 'rejects promptly, does not wait for a confirm');
    await assert.rejects(resilient.healthCheck().check(), isUnavailable);

    await waitFor(() => resilient.isConnected(), 'the reconnect', 5_000);
    await resilient.healthCheck().check();
    const codes = logger.codes();
    assert.ok(codes.includes('BROKER_CONNECTION_LOST'), `drop (${how}) was logged`);
    assert.ok(
      codes.lastIndexOf('BROKER_CONNECTED') > codes.indexOf('BROKER_CONNECTION_LOST'),
      'reconnect logged',
    );

    // Topology and subscription are back: publishing and consuming continue.
    const third = anEnvelope(type, { n: 3 });
    await resilient.publish(third);
    await waitFor(() => received.length === 2, 'a message after the reconnect');
    expect(received[1]).toEqual(third);
    await resilient.close();
    assert.equal(resilient.isConnected(), false);
  });

  it('restores a consumer the server cancelled (queue deleted) by re-declaring it', async () => {
    const logger = recordingLogger();
    const own = await topology.connected({ logger });
    const type = uniqueType('cancelled');
    const queue = topology.queue('cancelled');
    const received: string[] = [];
    await own.subscribe({
      queue,
      routingKeys: [routingKeyOf({ type, version: 1 })],
      handler: handle((e) => received.push(e.messageId)),
    });
    const channel = await topology.channel();
    await channel.deleteQueue(queue);
    await channel.close();
    await waitFor(() => logger.codes().includes('BROKER_CONSUMER_CANCELLED'), 'the cancel notification');
    await waitFor(
      () => logger.codes().filter((code) => code === 'BROKER_CONNECTED').length >= 2 && own.isConnected(),
      'the recycled connection',
    );
    const sent = anEnvelope(type, {});
    await own.publish(sent);
    await waitFor(() => received.includes(sent.messageId), 'a message on the re-declared queue');
    await own.close();
  });

  it('refuses a subscription whose queue exists with other arguments, and stays connected', async () => {
    const queue = topology.queue('mismatch');
    const channel = await topology.channel();
    await channel.assertQueue(queue, { durable: true });
    await channel.close();
    await assert.rejects(
      broker.subscribe({ queue, routingKeys: ['mismatch.v1'], handler: handle(() => undefined) }),
      /PRECONDITION_FAILED/,
    );
    await assert.rejects(broker.declareQueue(queue, ['mismatch.v1']), /PRECONDITION_FAILED/);
    assert.equal(broker.isConnected(), true);
    await sleep(50);
    assert.equal(broker.isConnected(), true, 'the failed declare did not recycle the connection');
    const type = uniqueType('after-mismatch');
    const received: string[] = [];
    await broker.subscribe({
      queue: topology.queue('after-mismatch'),
      routingKeys: [routingKeyOf({ type, version: 1 })],
      handler: handle((e) => received.push(e.messageId)),
    });
    const sent = anEnvelope(type, {});
    await broker.publish(sent);
    await waitFor(() => received.includes(sent.messageId), 'delivery after the refused subscription');
  });

  it('subscriptions made before connect() start consuming once connected', async () => {
    const own = topology.broker();
    const type = uniqueType('early');
    const received: string[] = [];
    await own.subscribe({
      queue: topology.queue('early'),
      routingKeys: [routingKeyOf({ type, version: 1 })],
      handler: handle((e) => received.push(e.messageId)),
    });
    await assert.rejects(own.publish(anEnvelope(type, {})), isUnavailable);
    await own.connect({ timeoutMs: 5_000 });
    const sent = anEnvelope(type, {});
    await own.publish(sent);
    await waitFor(() => received.includes(sent.messageId), 'the message');
    await own.close();
  });
});
