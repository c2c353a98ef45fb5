import type { CanonicalRecord } from './canonical-record.js';

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
  /** How often the worker's processing took effect; exactly 1 once processed. */
  readonly processCount: number;
}

export interface NewRecordBatch {
  readonly id: string;
  readonly board: string;
  readonly submittedBy: string;
  readonly receivedAt: Date;
  readonly records: readonly CanonicalRecord[];
}
