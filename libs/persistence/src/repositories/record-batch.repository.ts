import type { DataSource, EntityManager, SelectQueryBuilder } from 'typeorm';
import { ForbiddenError, NotFoundError } from '#domain';
import type { BoardScope, NewRecordBatch, OutboxEvent, RecordBatch, RecordBatchRepository } from '#domain';
import { CanonicalRecordEntity, RecordBatchEntity } from '../entities/index.js';
import { insertOutboxEvent } from './outbox.repository.js';

const INSERT_CHUNK = 500;
/** Marks a batch holding a record without a school: only whole-board scopes see it. Never a valid BRIN. */
export const NO_SCHOOL = '*';

export class TypeOrmRecordBatchRepository implements RecordBatchRepository {
  constructor(private readonly dataSource: DataSource) {}

  async saveSubmitted(scope: BoardScope, batch: NewRecordBatch, event: OutboxEvent): Promise<void> {
    if (batch.board !== scope.board)
      throw new ForbiddenError('BOARD_OUT_OF_SCOPE', 'Batch belongs to another school board');
    await this.dataSource.transaction(async (em) => {
      await em.insert(RecordBatchEntity, {
        id: batch.id,
        board: batch.board,
        schools: [...new Set(batch.records.map((r) => r.school?.brin ?? NO_SCHOOL))].sort(),
        status: 'RECEIVED',
        recordCount: batch.records.length,
        submittedBy: batch.submittedBy,
        receivedAt: batch.receivedAt,
        processedAt: null,
        processCount: 0,
        quarantinedCount: batch.quarantined?.length ?? 0,
        sourceSystem: batch.sourceSystem ?? null,
      });
      await insertRecords(em, batch);
      await insertQuarantine(em, batch);
      if (batch.resolves && batch.resolves.length > 0) {
        await em.query(
          `UPDATE quarantined_input SET resolved_at = $3, resolved_by_batch = $2
           WHERE board = $4 AND id = ANY($1::bigint[]) AND resolved_at IS NULL`,
          [batch.resolves, batch.id, batch.receivedAt, batch.board],
        );
      }
      await insertOutboxEvent(em, event, batch.receivedAt);
    });
  }

  async findById(scope: BoardScope, id: string): Promise<RecordBatch | null> {
    // Tenant scope is part of the query: another board's id is indistinguishable from a missing one.
    const row = await this.scoped(scope).andWhere('b.id = :id', { id }).getOne();
    return row ? toBatch(row) : null;
  }

  async listRecent(scope: BoardScope, limit: number): Promise<RecordBatch[]> {
    const rows = await this.scoped(scope).orderBy('b.received_at', 'DESC').limit(limit).getMany();
    return rows.map(toBatch);
  }

  /** Batches inside a scope: the board, and with a school list only batches wholly within those schools. */
  private scoped(scope: BoardScope): SelectQueryBuilder<RecordBatchEntity> {
    const qb = this.dataSource
      .getRepository(RecordBatchEntity)
      .createQueryBuilder('b')
      .where('b.board = :board', { board: scope.board });
    return scope.schools === null
      ? qb
      : qb.andWhere('b.schools <@ :schools::text[]', { schools: [...scope.schools] });
  }

  async markProcessed(
    batchId: string,
    consumer: string,
    idempotencyKey: string,
    at: Date,
    beforeCommit?: () => void,
  ): Promise<'processed' | 'duplicate'> {
    return this.dataSource.transaction(async (em) => {
      const inserted: unknown[] = await em.query(
        `INSERT INTO processed_message (consumer, idempotency_key, processed_at) VALUES ($1, $2, $3)
         ON CONFLICT DO NOTHING RETURNING 1`,
        [consumer, idempotencyKey, at],
      );
      if (inserted.length === 0) return 'duplicate';
      const updated: unknown[] = await em.query(
        `WITH updated AS (
           UPDATE record_batch SET status = 'PROCESSED', processed_at = $2, process_count = process_count + 1
           WHERE id = $1 RETURNING id)
         SELECT id FROM updated`,
        [batchId, at],
      );
      // A message about a batch this database does not hold is misrouted: refuse it (dead-letter), never ack it away.
      if (updated.length === 0)
        throw new NotFoundError('BATCH_NOT_FOUND', 'Message refers to an unknown batch');
      beforeCommit?.();
      return 'processed';
    });
  }
}

async function insertRecords(em: EntityManager, batch: NewRecordBatch): Promise<void> {
  for (let i = 0; i < batch.records.length; i += INSERT_CHUNK) {
    const rows = batch.records.slice(i, i + INSERT_CHUNK).map((r) => ({
      board: batch.board,
      recordId: r.recordId,
      batchId: batch.id,
      sourceSystem: r.sourceSystem,
      pupilLocalId: r.pupil.localId,
      schoolBrin: r.school?.brin ?? null,
      date: r.date,
      category: r.category,
      legalClass: r.legalClass,
      payload: r,
    }));
    // Re-sending the same record replaces it: the latest batch wins, the id stays stable.
    await em
      .createQueryBuilder()
      .insert()
      .into(CanonicalRecordEntity)
      .values(rows)
      .orUpdate(
        [
          'batch_id',
          'source_system',
          'pupil_local_id',
          'school_brin',
          'date',
          'category',
          'legal_class',
          'payload',
        ],
        ['board', 'record_id'],
      )
      .execute();
  }
}

async function insertQuarantine(em: EntityManager, batch: NewRecordBatch): Promise<void> {
  const items = batch.quarantined ?? [];
  for (let i = 0; i < items.length; i += INSERT_CHUNK) {
    const chunk = items.slice(i, i + INSERT_CHUNK);
    const params: unknown[] = [];
    const values = chunk.map((item) => {
      params.push(
        batch.board,
        batch.school ?? null,
        batch.id,
        item.sourceSystem,
        item.sourceId,
        item.reason,
        item.detail,
      );
      params.push(item.raw === undefined ? null : JSON.stringify(item.raw), batch.receivedAt);
      const n = params.length;
      return `($${n - 8}, $${n - 7}, $${n - 6}, $${n - 5}, $${n - 4}, $${n - 3}, $${n - 2}, $${n - 1}::jsonb, $${n})`;
    });
    await em.query(
      `INSERT INTO quarantined_input (board, school, batch_id, source_system, source_id, reason, detail, raw, received_at)
       VALUES ${values.join(', ')}`,
      params,
    );
  }
}

function toBatch(row: RecordBatchEntity): RecordBatch {
  return {
    id: row.id,
    board: row.board,
    status: row.status as RecordBatch['status'],
    recordCount: row.recordCount,
    submittedBy: row.submittedBy,
    receivedAt: row.receivedAt.toISOString(),
    processedAt: row.processedAt ? row.processedAt.toISOString() : null,
    processCount: row.processCount,
    quarantinedCount: row.quarantinedCount,
    sourceSystem: (row.sourceSystem as RecordBatch['sourceSystem']) ?? null,
  };
}
