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

export const MAX_BATCH_LIST = 100;

export class ListRecordBatchesUseCase {
  constructor(private readonly batches: RecordBatchRepository) {}

  async execute(actor: Actor, limit = 20): Promise<{ items: RecordBatch[] }> {
    const scope = requireBoardScope(actor, 'read');
    const bounded = Math.min(Math.max(Math.trunc(limit) || 20, 1), MAX_BATCH_LIST);
    return { items: await this.batches.listRecent(scope, bounded) };
  }
}
