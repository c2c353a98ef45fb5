import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One canonical record (contracts §2) per board; the full record is kept as JSON beside indexed columns. */
@Entity({ name: 'canonical_record' })
export class CanonicalRecordEntity {
  @PrimaryColumn({ type: 'text' })
  board: string;

  @PrimaryColumn({ name: 'record_id', type: 'text' })
  recordId: string;

  @Column({ name: 'batch_id', type: 'uuid' })
  batchId: string;

  @Column({ name: 'source_system', type: 'text' })
  sourceSystem: string;

  @Column({ name: 'pupil_local_id', type: 'text' })
  pupilLocalId: string;

  @Column({ name: 'school_brin', type: 'text', nullable: true })
  schoolBrin: string | null;

  @Column({ type: 'date' })
  date: string;

  @Column({ type: 'text' })
  category: string;

  @Column({ name: 'legal_class', type: 'text' })
  legalClass: string;

  @Column({ type: 'jsonb' })
  payload: unknown;

  @Column({ name: 'source_id', type: 'text', nullable: true })
  sourceId: string | null;

  /** 1 for the first version; superseded versions are in `canonical_record_version` (ADR 0009). */
  @Column({ type: 'integer' })
  version: number;

  @Column({ name: 'content_hash', type: 'text' })
  contentHash: string;

  /** The record disappeared upstream within a declared coverage: its current version is a deletion. */
  @Column({ type: 'boolean' })
  deleted: boolean;
}
