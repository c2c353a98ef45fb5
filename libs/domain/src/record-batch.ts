import type { CanonicalRecord, SourceSystemId } from './canonical-record.js';
import type { QuarantinedInput } from './source-record.js';

export const BATCH_STATUSES = ['RECEIVED', 'PROCESSED', 'FAILED'] as const;
export type BatchStatus = (typeof BATCH_STATUSES)[number];

/** A batch of canonical records as submitted through the API, and how far the pipeline got with it. */
export interface RecordBatch {
  readonly id: string;
  readonly board: string;
  readonly status: BatchStatus;
  readonly recordCount: number;
  readonly submittedBy: string;
  readonly receivedAt: string;
  readonly processedAt: string | null;
  /**
   * How often the batch's processing took effect: 1, in the transaction that stored it (ADR 0003, amended
   * 2026-12-06). Batches stored before that amendment that changed no record show 0.
   */
  readonly processCount: number;
  /** Inputs of this batch kept in quarantine instead of becoming records. */
  readonly quarantinedCount: number;
  /** The school system the batch came from when it was ingested raw; null for canonical submissions. */
  readonly sourceSystem: SourceSystemId | null;
  /** What the batch changed in the current records (ADR 0009); absent for batches stored before versions. */
  readonly changes?: {
    readonly created: number;
    readonly updated: number;
    readonly deleted: number;
    readonly unchanged: number;
  };
}

export interface NewRecordBatch {
  readonly id: string;
  readonly board: string;
  readonly submittedBy: string;
  readonly receivedAt: Date;
  readonly records: readonly CanonicalRecord[];
  /** Raw ingest: inputs kept in quarantine, stored with the batch (nothing lost). */
  readonly quarantined?: readonly QuarantinedInput[];
  /** Raw ingest: the school (BRIN) and system the payload came from. */
  readonly school?: string;
  readonly sourceSystem?: SourceSystemId;
  /** Replay: quarantine entries this batch resolves, marked in the same transaction. */
  readonly resolves?: readonly string[];
}

/** A quarantined input as stored, for the school's work list and for replay. */
export interface QuarantineEntry {
  readonly id: string;
  readonly batchId: string;
  readonly school: string | null;
  readonly sourceSystem: SourceSystemId;
  readonly sourceId: string | null;
  readonly reason: QuarantinedInput['reason'];
  readonly detail: string;
  readonly receivedAt: string;
}
