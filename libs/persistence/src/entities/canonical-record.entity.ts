import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * One canonical record (contracts §2) per board, as typed columns (ADR 0033; the bulk writer and the readers use
 * SQL, `repositories/record-row.ts`). The table is partitioned by board; `canonical_record_json` shows each row as
 * the record's JSON.
 */
@Entity({ name: 'canonical_record' })
export class CanonicalRecordEntity {
  @PrimaryColumn({ type: 'text' })
  board: string;

  @PrimaryColumn({ name: 'record_id', type: 'text' })
  recordId: string;

  @Column({ name: 'source_id', type: 'text', nullable: true })
  sourceId: string | null;

  @Column({ name: 'source_system', type: 'text' })
  sourceSystem: string;

  @Column({ name: 'source_record_type', type: 'text' })
  sourceRecordType: string;

  @Column({ name: 'pupil_local_id', type: 'text' })
  pupilLocalId: string;

  @Column({ type: 'text', nullable: true })
  leerlingnummer: string | null;

  /** False when the record's `school` is null; else `school_brin` and `vestiging` hold what it has. */
  @Column({ name: 'has_school', type: 'boolean' })
  hasSchool: boolean;

  @Column({ name: 'school_brin', type: 'text', nullable: true })
  schoolBrin: string | null;

  @Column({ type: 'text', nullable: true })
  vestiging: string | null;

  @Column({ type: 'date' })
  date: string;

  /** `start` as an instant with the offset (minutes) it was written in; `start_text` when another notation. */
  @Column({ name: 'start_at', type: 'timestamptz', nullable: true })
  startAt: Date | null;

  @Column({ name: 'start_offset', type: 'smallint', nullable: true })
  startOffset: number | null;

  @Column({ name: 'start_text', type: 'text', nullable: true })
  startText: string | null;

  @Column({ name: 'end_at', type: 'timestamptz', nullable: true })
  endAt: Date | null;

  @Column({ name: 'end_offset', type: 'smallint', nullable: true })
  endOffset: number | null;

  @Column({ name: 'end_text', type: 'text', nullable: true })
  endText: string | null;

  @Column({ name: 'whole_day', type: 'boolean' })
  wholeDay: boolean;

  @Column({ name: 'lesson_hour_from', type: 'smallint', nullable: true })
  lessonHourFrom: number | null;

  @Column({ name: 'lesson_hour_to', type: 'smallint', nullable: true })
  lessonHourTo: number | null;

  /** Codes: `CATEGORY_CODES`, `LEGAL_CLASS_CODES`, `REGISTERED_VIA_CODES`, `MAPPING_SOURCE_CODES`. */
  @Column({ type: 'smallint' })
  category: number;

  @Column({ name: 'legal_class', type: 'smallint' })
  legalClass: number;

  @Column({ name: 'registered_via', type: 'smallint' })
  registeredVia: number;

  @Column({ name: 'missed_minutes', type: 'double precision', nullable: true })
  missedMinutes: number | null;

  @Column({ name: 'missed_lessons', type: 'double precision', nullable: true })
  missedLessons: number | null;

  @Column({ name: 'reason_code', type: 'text', nullable: true })
  reasonCode: string | null;

  @Column({ name: 'explained_by', type: 'text', nullable: true })
  explainedBy: string | null;

  @Column({ name: 'mapping_source', type: 'smallint' })
  mappingSource: number;

  @Column({ name: 'mapping_version', type: 'text', nullable: true })
  mappingVersion: string | null;

  @Column({ name: 'batch_id', type: 'uuid' })
  batchId: string;

  /** 1 for the first version; superseded versions are in `canonical_record_version` (ADR 0009). */
  @Column({ type: 'integer' })
  version: number;

  /** SHA-256 of the record's canonical JSON: a re-sent record is recognised without storing the JSON. */
  @Column({ name: 'content_hash', type: 'text' })
  contentHash: string;

  /** The record disappeared upstream within a declared coverage: its current version is a deletion. */
  @Column({ type: 'boolean' })
  deleted: boolean;
}
