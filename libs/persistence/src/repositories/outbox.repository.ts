import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { ClaimedOutboxRow, Envelope, OutboxEvent, OutboxStore } from '#domain';

/** Writes an outbox row inside the caller's transaction (the state change and the event commit together). */
export async function insertOutboxEvent(
  em: { query(sql: string, parameters: unknown[]): Promise<unknown> },
  event: OutboxEvent,
  occurredAt: Date,
): Promise<void> {
  await em.query(
    `INSERT INTO outbox (message_id, type, version, idempotency_key, payload, occurred_at)
     VALUES ($1, $2, $3, $4, $5, $6)`,
    [
      randomUUID(),
      event.type,
      event.version,
      event.idempotencyKey,
      JSON.stringify(event.payload),
      occurredAt,
    ],
  );
}

interface OutboxRow {
  id: string;
  message_id: string;
  type: string;
  version: number;
  idempotency_key: string;
  payload: unknown;
  occurred_at: Date;
}

export class TypeOrmOutboxStore implements OutboxStore {
  constructor(private readonly dataSource: DataSource) {}

  async claim(relayId: string, limit: number, leaseMs: number): Promise<ClaimedOutboxRow[]> {
    // One short statement: the lease, not a long-held lock, keeps relays apart while they publish.
    const rows: OutboxRow[] = await this.dataSource.query(
      // Wrapped in a CTE so the driver returns plain rows (TypeORM returns [rows, count] for UPDATE).
      `WITH claimed AS (
         UPDATE outbox SET claimed_by = $1, claimed_until = now() + ($3::int * interval '1 millisecond'),
                attempts = attempts + 1
         WHERE id IN (
           SELECT id FROM outbox
           WHERE published_at IS NULL AND (claimed_until IS NULL OR claimed_until < now())
           ORDER BY id LIMIT $2
           FOR UPDATE SKIP LOCKED)
         RETURNING id, message_id, type, version, idempotency_key, payload, occurred_at)
       SELECT * FROM claimed ORDER BY id`,
      [relayId, limit, leaseMs],
    );
    return rows.map((row) => ({ id: String(row.id), envelope: toEnvelope(row) }));
  }

  async markPublished(ids: readonly string[], at: Date): Promise<void> {
    if (ids.length === 0) return;
    await this.dataSource.query(
      `UPDATE outbox SET published_at = $2, claimed_by = NULL, claimed_until = NULL, last_error = NULL
       WHERE id = ANY($1::bigint[])`,
      [ids, at],
    );
  }

  async release(ids: readonly string[], error: string): Promise<void> {
    if (ids.length === 0) return;
    await this.dataSource.query(
      `UPDATE outbox SET claimed_by = NULL, claimed_until = NULL, last_error = $2 WHERE id = ANY($1::bigint[])`,
      [ids, error.slice(0, 500)],
    );
  }

  async countUnpublished(): Promise<number> {
    const rows: { n: string }[] = await this.dataSource.query(
      `SELECT count(*) AS n FROM outbox WHERE published_at IS NULL`,
    );
    return Number(rows[0]?.n ?? 0);
  }
}

function toEnvelope(row: OutboxRow): Envelope {
  return {
    type: row.type,
    version: row.version,
    messageId: row.message_id,
    idempotencyKey: row.idempotency_key,
    occurredAt: new Date(row.occurred_at).toISOString(),
    payload: row.payload,
  };
}
