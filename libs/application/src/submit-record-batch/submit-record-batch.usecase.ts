import type { Clock, RecordBatchRepository } from '#domain';
import { batchReceivedEvent } from '../shared/record-batch.helpers.js';
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
    await this.batches.saveSubmitted(
      command.scope,
      {
        id: batchId,
        board: command.scope.board,
        submittedBy: command.actor.subject,
        receivedAt: this.clock.now(),
        records: command.records,
      },
      batchReceivedEvent(batchId, command.scope.board, command.records.length),
    );
    return { batchId, recordCount: command.records.length, status: 'RECEIVED' };
  }
}
