import type { Envelope } from './messages.js';
import type { NewRecordBatch, QuarantineEntry, RecordBatch } from './record-batch.js';
import type { SourceSystemId } from './canonical-record.js';
import type { BatchHeader, FinishBatch, RecordBatchWriter } from './record-store.js';
import type { BoardScope } from './tenancy.js';

/** An event to be written to the transactional outbox together with a state change. */
export interface OutboxEvent<T = unknown> {
  readonly type: string;
  readonly version: number;
  readonly idempotencyKey: string;
  readonly payload: T;
}

export const RECORD_BATCH_REPOSITORY = Symbol('RecordBatchRepository');
export interface RecordBatchRepository {
  /**
   * Stores the batch, its records and the events of what they changed (`FinishBatch.events`) in one
   * transaction, as `PROCESSED`.
   */
  saveSubmitted(scope: BoardScope, batch: NewRecordBatch, events: FinishBatch['events']): Promise<void>;
  /**
   * Opens a batch for bulk writing in slices (ADR 0009): versioned canonical records, lessons, quarantine and
   * the outbox events commit together in `finish`.
   */
  beginBatch(scope: BoardScope, header: BatchHeader): Promise<RecordBatchWriter>;
  /** null when the batch does not exist or lies outside the scope: both look the same to the caller. */
  findById(scope: BoardScope, id: string): Promise<RecordBatch | null>;
  /** The most recent batches inside the scope, newest first. */
  listRecent(scope: BoardScope, limit: number): Promise<RecordBatch[]>;
}

export interface ClaimedOutboxRow {
  readonly id: string;
  readonly envelope: Envelope;
}

export const OUTBOX_STORE = Symbol('OutboxStore');
export interface OutboxStore {
  /** Claims up to `limit` unpublished rows for `leaseMs` (FOR UPDATE SKIP LOCKED; several relays may run). */
  claim(relayId: string, limit: number, leaseMs: number): Promise<ClaimedOutboxRow[]>;
  markPublished(ids: readonly string[], at: Date): Promise<void>;
  /** Gives rows back after a failed publish, recording the error (no personal data). */
  release(ids: readonly string[], error: string): Promise<void>;
  countUnpublished(): Promise<number>;
}

export const MESSAGE_PUBLISHER = Symbol('MessagePublisher');
export interface MessagePublisher {
  /** Resolves once the broker confirmed the message (publisher confirms); rejects otherwise. */
  publish(envelope: Envelope): Promise<void>;
}

export type MessageHandler = (envelope: Envelope) => Promise<void>;

export interface Subscription {
  /** Queue name (durable). */
  readonly queue: string;
  /** Routing keys `<type>.v<version>` bound to the queue. */
  readonly routingKeys: readonly string[];
  /** Called per message; the message is acknowledged only after this resolves. */
  readonly handler: MessageHandler;
}

export const MESSAGE_CONSUMER = Symbol('MessageConsumer');
export interface MessageConsumer {
  subscribe(subscription: Subscription): Promise<void>;
}

export interface HealthCheck {
  readonly name: string;
  check(): Promise<void>;
}

/** A school's reason mapping as stored: validated JSON, versioned, latest wins. */
export interface StoredReasonMapping {
  readonly school: string;
  readonly system: SourceSystemId;
  readonly version: string;
  readonly mapping: unknown;
  readonly createdAt: string;
  readonly createdBy: string;
}

export const REASON_MAPPING_REPOSITORY = Symbol('ReasonMappingRepository');
export interface ReasonMappingRepository {
  /** Stores a new version; a version that already exists for that school and system is a conflict. */
  save(scope: BoardScope, entry: Omit<StoredReasonMapping, 'createdAt'>, at: Date): Promise<void>;
  current(scope: BoardScope, school: string, system: SourceSystemId): Promise<StoredReasonMapping | null>;
}

export const QUARANTINE_REPOSITORY = Symbol('QuarantineRepository');
export interface QuarantineRepository {
  /** Open (unresolved) entries inside the scope, oldest first. */
  listOpen(
    scope: BoardScope,
    filter: { readonly school?: string; readonly system?: SourceSystemId; readonly reason?: string },
    limit: number,
  ): Promise<QuarantineEntry[]>;
  /** The raw items of open entries, for replay inside the school's own store. */
  rawOf(scope: BoardScope, ids: readonly string[]): Promise<{ id: string; raw: unknown }[]>;
}
