import type { DataSource, SelectQueryBuilder } from 'typeorm';
import type {
  BatchHeader,
  BoardScope,
  FinishBatch,
  NewRecordBatch,
  RecordBatch,
  RecordBatchRepository,
  RecordBatchWriter,
} from '#domain';
import { RecordBatchEntity } from '../entities/index.js';
import {
  type BulkMode,
  PgRecordBatchWriter,
  type WriterOptions,
  assertBoard,
  bulkModeOf,
} from './canonical-record.writer.js';

export { NO_SCHOOL } from './canonical-record.writer.js';

/** Records handed to the writer per `appendRecords` (one slice). */
const APPEND_SLICE = 10_000;

export class TypeOrmRecordBatchRepository implements RecordBatchRepository {
  private mode: Promise<BulkMode> | null = null;

  constructor(
    private readonly dataSource: DataSource,
    private readonly writerOptions: WriterOptions = {},
  ) {}

  /** COPY on PostgreSQL, multi-row INSERT on PGlite (detected once). */
  bulkMode(): Promise<BulkMode> {
    this.mode ??= bulkModeOf(this.dataSource);
    return this.mode;
  }

  async beginBatch(scope: BoardScope, header: BatchHeader): Promise<RecordBatchWriter> {
    return PgRecordBatchWriter.open(
      this.dataSource,
      await this.bulkMode(),
      scope,
      header,
      this.writerOptions,
    );
  }

  /**
   * A whole batch at once through the same versioned store: unchanged records are recognised, changed ones get
   * a new version; no coverage, so nothing is deleted. The caller's events announce what changed.
   */
  async saveSubmitted(
    scope: BoardScope,
    batch: NewRecordBatch,
    events: FinishBatch['events'],
  ): Promise<void> {
    assertBoard(scope, batch.board);
    const writer = await this.beginBatch(scope, {
      id: batch.id,
      submittedBy: batch.submittedBy,
      receivedAt: batch.receivedAt,
      school: batch.school,
      sourceSystem: batch.sourceSystem,
    });
    try {
      for (let i = 0; i < batch.records.length; i += APPEND_SLICE) {
        await writer.appendRecords(batch.records.slice(i, i + APPEND_SLICE));
      }
    } catch (error) {
      await writer.abort();
      throw error;
    }
    await writer.finish({
      coverage: null,
      quarantined: batch.quarantined,
      resolves: batch.resolves,
      events,
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
    ...(row.createdCount === null
      ? {}
      : {
          changes: {
            created: row.createdCount,
            updated: row.updatedCount ?? 0,
            deleted: row.deletedCount ?? 0,
            unchanged: row.unchangedCount ?? 0,
          },
        }),
  };
}
