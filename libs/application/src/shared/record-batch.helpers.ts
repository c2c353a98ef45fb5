import {
  type CanonicalRecord,
  type OutboxEvent,
  RECORD_BATCH_RECEIVED,
  type RecordBatchReceivedV1,
} from '#domain';

/** The outbox event of a stored batch. One event per batch: the batch id is the natural idempotency key. */
export function batchReceivedEvent(
  batchId: string,
  board: string,
  recordCount: number,
): OutboxEvent<RecordBatchReceivedV1> {
  return {
    ...RECORD_BATCH_RECEIVED,
    idempotencyKey: `${RECORD_BATCH_RECEIVED.type}:${batchId}`,
    payload: { batchId, board, recordCount },
  };
}

/** A raw payload came from one school: its records without a school of their own belong to it. */
export function withSchool(record: CanonicalRecord, school: string): CanonicalRecord {
  if (record.school?.brin) return record;
  return { ...record, school: { ...(record.school ?? {}), brin: school } };
}
