import { ClientProxy, type ReadPacket, type WritePacket } from '@nestjs/microservices';
import { lastValueFrom } from 'rxjs';
import { type Envelope, type MessagePublisher, ValidationError, routingKeyOf } from '#domain';
import { isEnvelope } from '#messaging';

/** Error codes of the client. */
export const BrokerClientErrorCode = {
  /** `emit(pattern, envelope)` with a pattern other than the envelope's routing key. */
  InvalidEvent: 'BROKER_CLIENT_INVALID_EVENT',
} as const;

/**
 * The Nest client of the broker transport (ADR 0029): `emit(routingKeyOf(envelope), envelope)` publishes the
 * envelope through the broker port and completes once the broker confirmed it (publisher confirms on RabbitMQ;
 * processed or dead-lettered in process); it errors with the broker's own error. `send` (request-response)
 * errors: the broker carries events only.
 */
export class BrokerClient extends ClientProxy {
  constructor(private readonly publisher: MessagePublisher) {
    super();
  }

  connect(): Promise<void> {
    return Promise.resolve();
  }

  close(): void {
    return;
  }

  unwrap<T>(): T {
    return this.publisher as T;
  }

  protected publish(packet: ReadPacket, callback: (packet: WritePacket) => void): () => void {
    callback({
      err: new Error(`BrokerClient carries events only: emit ${String(packet.pattern)}, do not send it`),
      isDisposed: true,
    });
    return () => undefined;
  }

  protected async dispatchEvent<T = unknown>(packet: ReadPacket): Promise<T> {
    const envelope = packet.data as Envelope;
    // An invalid envelope goes on to the broker, which refuses it (non-retryable) exactly as before.
    if (isEnvelope(envelope) && routingKeyOf(envelope) !== packet.pattern) {
      throw new ValidationError(
        BrokerClientErrorCode.InvalidEvent,
        'emit(pattern, envelope) takes the routing key of the envelope as its pattern.',
      );
    }
    await this.publisher.publish(envelope);
    return undefined as T;
  }
}

/** The client as a `MessagePublisher` (for the outbox relay): resolves once the broker confirmed. */
export function publisherOf(client: ClientProxy): MessagePublisher {
  return {
    publish: (envelope: Envelope) =>
      lastValueFrom(client.emit<void>(routingKeyOf(envelope), envelope), { defaultValue: undefined }),
  };
}
