import {
  CANONICAL_RECORDS_CHANGED,
  type CanonicalRecord,
  type CanonicalRecordsChangedV1,
  type ChangedRecords,
  type OutboxEvent,
} from '#domain';

/**
 * What a stored batch announces (ADR 0009): each part of its changed record ids (the writer pages them) becomes
 * one `canonical-records.changed` event, whose consumer re-evaluates the pupils of those records. The batch id
 * and the part are the natural idempotency key.
 */
export function recordsChangedEvents(
  batchId: string,
  board: string,
): (changed: ChangedRecords) => OutboxEvent<CanonicalRecordsChangedV1>[] {
  return (changed) => [
    {
      ...CANONICAL_RECORDS_CHANGED,
      idempotencyKey: `${CANONICAL_RECORDS_CHANGED.type}:${batchId}:${changed.part}`,
      payload: {
        batchId,
        board,
        part: changed.part,
        parts: changed.parts,
        created: changed.created,
        updated: changed.updated,
        deleted: changed.deleted,
      },
    },
  ];
}

/** A raw payload came from one school: its records without a school of their own belong to it. */
export function withSchool(record: CanonicalRecord, school: string): CanonicalRecord {
  if (record.school?.brin) return record;
  return { ...record, school: { ...(record.school ?? {}), brin: school } };
}
