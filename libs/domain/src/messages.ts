/**
 * Versioned envelopes for everything that crosses the broker. The routing key is `<type>.v<version>`,
 * e.g. `canonical-records.changed.v1`. The idempotency key is derived from the state change, never random.
 */
export interface Envelope<T = unknown> {
  readonly type: string;
  readonly version: number;
  /** Unique per outbox row. */
  readonly messageId: string;
  /** Stable for the same logical event; consumers record it so redelivery is harmless. */
  readonly idempotencyKey: string;
  readonly occurredAt: string;
  readonly payload: T;
}

export const routingKeyOf = (envelope: Pick<Envelope, 'type' | 'version'>): string =>
  `${envelope.type}.v${envelope.version}`;
