import type { DataSource } from 'typeorm';
import type { ConsoleSession, ConsoleSessionKind, ConsoleSessionStore } from '#domain';

interface SessionRow {
  id: string;
  kind: ConsoleSessionKind;
  data: Omit<ConsoleSession, 'id' | 'kind' | 'createdAt' | 'expiresAt'>;
  created_at: Date;
  expires_at: Date;
}

/** Console sessions in one table; the row id is the hash of the cookie token, never the token. */
export class TypeOrmConsoleSessionStore implements ConsoleSessionStore {
  constructor(private readonly dataSource: DataSource) {}

  async create(session: ConsoleSession): Promise<void> {
    const { id, kind, createdAt, expiresAt, ...data } = session;
    await this.dataSource.query(
      `INSERT INTO console_session (id, kind, data, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)`,
      [id, kind, JSON.stringify(data), createdAt, expiresAt],
    );
  }

  async find(id: string, at: Date): Promise<ConsoleSession | null> {
    const rows: SessionRow[] = await this.dataSource.query(
      `SELECT id, kind, data, created_at, expires_at FROM console_session WHERE id = $1 AND expires_at > $2`,
      [id, at],
    );
    const row = rows[0];
    if (!row) return null;
    return {
      ...row.data,
      id: row.id,
      kind: row.kind,
      createdAt: new Date(row.created_at).toISOString(),
      expiresAt: new Date(row.expires_at).toISOString(),
    };
  }

  async delete(id: string): Promise<boolean> {
    return (await this.countDeleted(`DELETE FROM console_session WHERE id = $1 RETURNING id`, [id])) > 0;
  }

  async deleteExpired(at: Date): Promise<number> {
    return this.countDeleted(`DELETE FROM console_session WHERE expires_at <= $1 RETURNING id`, [at]);
  }

  /** TypeORM answers a bare DELETE with [rows, count]; a CTE makes it a SELECT on every driver. */
  private async countDeleted(deleteSql: string, params: unknown[]): Promise<number> {
    const rows: { n: number }[] = await this.dataSource.query(
      `WITH d AS (${deleteSql}) SELECT count(*)::int AS n FROM d`,
      params,
    );
    return Number(rows[0]?.n ?? 0);
  }
}
