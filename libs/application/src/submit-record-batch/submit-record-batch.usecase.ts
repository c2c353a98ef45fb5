import {
  type Clock,
  RECORD_BATCH_RECEIVED,
  type RecordBatchReceivedV1,
  type RecordBatchRepository,
} from '#domain';
import type { SubmitRecordBatchCommand } from './submit-record-batch.command.js';

export interface SubmittedBatch {
  readonly batchId: string;
  readonly recordCount: number;
  readonly status: 'RECEIVED';
}

export class SubmitRecordBatchUseCase {
  constructor(
    private readonly batches: RecordBatchRepository,
    private readonly clock: Clock,
    private readonly newId: () => string,
  ) {}

  async execute(command: SubmitRecordBatchCommand): Promise<SubmittedBatch> {
    const batchId = this.newId();
    const payload: RecordBatchReceivedV1 = {
      batchId,
      board: command.scope.board,
      recordCount: command.records.length,
    };
    await this.batches.saveSubmitted(
      command.scope,
      {
        id: batchId,
        board: command.scope.board,
        submittedBy: command.actor.subject,
        receivedAt: this.clock.now(),
        records: command.records,
      },
      {
        ...RECORD_BATCH_RECEIVED,
        // One event per batch: the batch id is the natural idempotency key.
        idempotencyKey: `${RECORD_BATCH_RECEIVED.type}:${batchId}`,
        payload,
      },
    );
    return { batchId, recordCount: command.records.length, status: 'RECEIVED' };
  }
}
