/**
 * Versioned envelopes for everything that crosses the broker. The routing key is `<type>.v<version>`,
 * e.g. `records.batch-received.v1`. The idempotency key is derived from the state change, never random.
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

export const RECORD_BATCH_RECEIVED = { type: 'records.batch-received', version: 1 } as const;

export interface RecordBatchReceivedV1 {
  readonly batchId: string;
  readonly board: string;
  readonly recordCount: number;
}
