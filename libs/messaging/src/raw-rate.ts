import { randomUUID } from 'node:crypto';
import amqp from 'amqplib';

export interface RawBrokerRate {
  readonly messages: number;
  readonly seconds: number;
  readonly messagesPerSecond: number;
  readonly how: string;
}

/**
 * The broker's own limit for the delivery benchmark: `messages` persistent messages of `payloadBytes` published
 * on a confirm channel to a durable quorum queue (as the outbox relay does) and consumed with manual acks (as
 * the dispatcher does), concurrently, with plain amqplib and no ketenpoort code in between. The queue is removed
 * afterwards.
 */
export async function measureRawRabbitMqRate(
  url: string,
  messages: number,
  payloadBytes: number,
): Promise<RawBrokerRate> {
  const connection = await amqp.connect(url);
  const queue = `kp-bench-raw-${randomUUID().slice(0, 8)}`;
  try {
    const publish = await connection.createConfirmChannel();
    const consume = await connection.createChannel();
    await publish.assertQueue(queue, { durable: true, arguments: { 'x-queue-type': 'quorum' } });
    await consume.prefetch(64);
    const body = Buffer.alloc(payloadBytes, 0x61);
    const started = process.hrtime.bigint();
    let received = 0;
    const done = new Promise<void>((resolve, reject) => {
      consume
        .consume(queue, (message) => {
          if (!message) return reject(new Error('consumer cancelled'));
          consume.ack(message);
          received += 1;
          if (received === messages) resolve();
        })
        .catch(reject);
    });
    // A window of unconfirmed messages, as a fast publisher would keep.
    const WINDOW = 256;
    for (let sent = 0; sent < messages;) {
      const batch = Math.min(WINDOW, messages - sent);
      for (let i = 0; i < batch; i++) {
        publish.publish('', queue, body, { persistent: true, contentType: 'application/json' });
      }
      await publish.waitForConfirms();
      sent += batch;
    }
    await done;
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    await consume.close();
    await publish.deleteQueue(queue);
    await publish.close();
    return {
      messages,
      seconds,
      messagesPerSecond: messages / seconds,
      how: 'amqplib: confirm channel → durable quorum queue (persistent) → consumer with manual ack',
    };
  } finally {
    await connection.close().catch(() => undefined);
  }
}
