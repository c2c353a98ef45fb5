import { CanonicalRecordEntity } from './canonical-record.entity.js';
import { OutboxMessageEntity } from './outbox-message.entity.js';
import { ProcessedMessageEntity } from './processed-message.entity.js';
import { RecordBatchEntity } from './record-batch.entity.js';

export { CanonicalRecordEntity, OutboxMessageEntity, ProcessedMessageEntity, RecordBatchEntity };
export const ENTITIES = [
  RecordBatchEntity,
  CanonicalRecordEntity,
  OutboxMessageEntity,
  ProcessedMessageEntity,
];
