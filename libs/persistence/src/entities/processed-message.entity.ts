import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Idempotency keys a consumer has processed; written in the consumer's own transaction. */
@Entity({ name: 'processed_message' })
export class ProcessedMessageEntity {
  @PrimaryColumn({ type: 'text' })
  consumer: string;

  @PrimaryColumn({ name: 'idempotency_key', type: 'text' })
  idempotencyKey: string;

  @Column({ name: 'processed_at', type: 'timestamptz' })
  processedAt: Date;
}
