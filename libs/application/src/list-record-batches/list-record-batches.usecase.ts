import { type Actor, type RecordBatch, type RecordBatchRepository, requireBoardScope } from '#domain';

export const MAX_BATCH_LIST = 100;

export class ListRecordBatchesUseCase {
  constructor(private readonly batches: RecordBatchRepository) {}

  async execute(actor: Actor, limit = 20): Promise<{ items: RecordBatch[] }> {
    const scope = requireBoardScope(actor, 'read');
    const bounded = Math.min(Math.max(Math.trunc(limit) || 20, 1), MAX_BATCH_LIST);
    return { items: await this.batches.listRecent(scope, bounded) };
  }
}
