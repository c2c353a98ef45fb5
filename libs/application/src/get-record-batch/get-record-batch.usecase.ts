import {
  type Actor,
  NotFoundError,
  type RecordBatch,
  type RecordBatchRepository,
  requireBoardScope,
} from '#domain';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export class GetRecordBatchUseCase {
  constructor(private readonly batches: RecordBatchRepository) {}

  async execute(actor: Actor, batchId: string): Promise<RecordBatch> {
    const scope = requireBoardScope(actor, 'read');
    if (!UUID.test(batchId)) throw new NotFoundError('BATCH_NOT_FOUND', 'No such batch');
    const batch = await this.batches.findById(scope, batchId);
    if (!batch) throw new NotFoundError('BATCH_NOT_FOUND', 'No such batch');
    return batch;
  }
}
