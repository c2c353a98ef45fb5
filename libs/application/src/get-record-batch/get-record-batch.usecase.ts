import {
  type Actor,
  NotFoundError,
  type RecordBatch,
  type RecordBatchRepository,
  requireBoardScope,
} from '#domain';
import { GET_RECORD_BATCH_ERRORS } from './get-record-batch-error-codes.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export class GetRecordBatchUseCase {
  constructor(private readonly batches: RecordBatchRepository) {}

  async execute(actor: Actor, batchId: string): Promise<RecordBatch> {
    const scope = requireBoardScope(actor, 'read');
    if (!UUID.test(batchId))
      throw new NotFoundError(GET_RECORD_BATCH_ERRORS.BATCH_NOT_FOUND, 'No such batch');
    const batch = await this.batches.findById(scope, batchId);
    if (!batch) throw new NotFoundError(GET_RECORD_BATCH_ERRORS.BATCH_NOT_FOUND, 'No such batch');
    return batch;
  }
}
