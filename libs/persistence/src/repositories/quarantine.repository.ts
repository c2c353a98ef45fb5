import type { DataSource } from 'typeorm';
import type { BoardScope, QuarantineEntry, QuarantineRepository, SourceSystemId } from '#domain';

interface Row {
  id: string;
  batch_id: string;
  school: string | null;
  source_system: string;
  source_id: string | null;
  reason: string;
  detail: string;
  received_at: Date;
}

/** Quarantine entries inside a scope: the board, and for a school list only those schools' entries. */
function scopeClause(scope: BoardScope, params: unknown[]): string {
  params.push(scope.board);
  let clause = `board = $${params.length}`;
  if (scope.schools !== null) {
    params.push([...scope.schools]);
    clause += ` AND school = ANY($${params.length}::text[])`;
  }
  return clause;
}

export class TypeOrmQuarantineRepository implements QuarantineRepository {
  constructor(private readonly dataSource: DataSource) {}

  async listOpen(
    scope: BoardScope,
    filter: { readonly school?: string; readonly system?: SourceSystemId; readonly reason?: string },
    limit: number,
  ): Promise<QuarantineEntry[]> {
    const params: unknown[] = [];
    let where = `${scopeClause(scope, params)} AND resolved_at IS NULL`;
    for (const [column, value] of [
      ['school', filter.school],
      ['source_system', filter.system],
      ['reason', filter.reason],
    ] as const) {
      if (value !== undefined) {
        params.push(value);
        where += ` AND ${column} = $${params.length}`;
      }
    }
    params.push(limit);
    const rows: Row[] = await this.dataSource.query(
      `SELECT id, batch_id, school, source_system, source_id, reason, detail, received_at
       FROM quarantined_input WHERE ${where} ORDER BY id LIMIT $${params.length}`,
      params,
    );
    return rows.map((row) => ({
      id: String(row.id),
      batchId: row.batch_id,
      school: row.school,
      sourceSystem: row.source_system as SourceSystemId,
      sourceId: row.source_id,
      reason: row.reason as QuarantineEntry['reason'],
      detail: row.detail,
      receivedAt: new Date(row.received_at).toISOString(),
    }));
  }

  async rawOf(scope: BoardScope, ids: readonly string[]): Promise<{ id: string; raw: unknown }[]> {
    if (ids.length === 0) return [];
    const params: unknown[] = [];
    const where = scopeClause(scope, params);
    params.push([...ids]);
    const rows: { id: string; raw: unknown }[] = await this.dataSource.query(
      `SELECT id, raw FROM quarantined_input WHERE ${where} AND id = ANY($${params.length}::bigint[]) ORDER BY id`,
      params,
    );
    return rows.map((row) => ({ id: String(row.id), raw: row.raw }));
  }
}
