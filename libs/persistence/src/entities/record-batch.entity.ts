import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

@Entity({ name: 'record_batch' })
@Index('record_batch_board_idx', ['board', 'receivedAt'])
export class RecordBatchEntity {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'text' })
  board: string;

  /** Distinct BRINs of the batch's records; NO_SCHOOL for a record without one (whole-board scope only). */
  @Column({ type: 'text', array: true })
  schools: string[];

  @Column({ type: 'text' })
  status: string;

  @Column({ name: 'record_count', type: 'integer' })
  recordCount: number;

  @Column({ name: 'submitted_by', type: 'text' })
  submittedBy: string;

  @Column({ name: 'received_at', type: 'timestamptz' })
  receivedAt: Date;

  @Column({ name: 'processed_at', type: 'timestamptz', nullable: true })
  processedAt: Date | null;

  @Column({ name: 'process_count', type: 'integer', default: 0 })
  processCount: number;

  @Column({ name: 'quarantined_count', type: 'integer', default: 0 })
  quarantinedCount: number;

  @Column({ name: 'source_system', type: 'text', nullable: true })
  sourceSystem: string | null;

  /** What the batch changed (ADR 0009); null for batches stored before record versions. */
  @Column({ name: 'created_count', type: 'integer', nullable: true })
  createdCount: number | null;

  @Column({ name: 'updated_count', type: 'integer', nullable: true })
  updatedCount: number | null;

  @Column({ name: 'deleted_count', type: 'integer', nullable: true })
  deletedCount: number | null;

  @Column({ name: 'unchanged_count', type: 'integer', nullable: true })
  unchangedCount: number | null;

  /** The coverage the payload declared; null: nothing was deleted. */
  @Column({ type: 'jsonb', nullable: true })
  coverage: unknown;
}
