import type { DataSource, EntityManager } from 'typeorm';
import type {
  AuditBreakReason,
  AuditEntry,
  AuditLog,
  AuditValue,
  AuditVerification,
  NewAuditEntry,
} from '#domain';
import { GENESIS_HASH, auditHash } from './audit-log.hash.js';

const VERIFY_PAGE = 1_000;

interface Row {
  seq: string;
  at: Date;
  board: string;
  kind: string;
  entry: { [key: string]: AuditValue };
  prev_hash: string;
  hash: string;
}

/**
 * Appends inside the caller's transaction: the state change and its audit entry commit together. The chain
 * head row is locked FOR UPDATE, so concurrent appenders queue behind each other and never fork the chain.
 */
export async function appendAuditEntries(
  em: Pick<EntityManager, 'query'>,
  entries: readonly NewAuditEntry[],
  at: Date,
): Promise<AuditEntry[]> {
  if (entries.length === 0) return [];
  const head: { seq: string; hash: string }[] = await em.query(
    `SELECT seq, hash FROM audit_chain_head WHERE id = 1 FOR UPDATE`,
  );
  let seq = Number(head[0].seq);
  let prevHash = head[0].hash;
  const iso = at.toISOString();
  const appended: AuditEntry[] = [];
  for (const input of entries) {
    seq += 1;
    const hash = auditHash(prevHash, {
      seq,
      at: iso,
      board: input.board,
      kind: input.kind,
      entry: input.entry,
    });
    await em.query(
      `INSERT INTO audit_log (seq, at, board, kind, entry, prev_hash, hash) VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7)`,
      [seq, at, input.board, input.kind, JSON.stringify(input.entry), prevHash, hash],
    );
    appended.push({ ...input, seq, at: iso, prevHash, hash });
    prevHash = hash;
  }
  await em.query(`UPDATE audit_chain_head SET seq = $1, hash = $2 WHERE id = 1`, [seq, prevHash]);
  return appended;
}

export class TypeOrmAuditLog implements AuditLog {
  constructor(private readonly dataSource: DataSource) {}

  async append(entries: readonly NewAuditEntry[], at: Date): Promise<AuditEntry[]> {
    return this.dataSource.transaction((em) => appendAuditEntries(em, entries, at));
  }

  /**
   * Walks the chain up to the head recorded when the walk starts (later appends are left for the next
   * run), a page at a time, and stops at the first break.
   */
  async verify(): Promise<AuditVerification> {
    const head: { seq: string; hash: string }[] = await this.dataSource.query(
      `SELECT seq, hash FROM audit_chain_head WHERE id = 1`,
    );
    const headSeq = Number(head[0]?.seq ?? 0);
    const headHash = head[0]?.hash ?? GENESIS_HASH;
    let expectedSeq = 1;
    let prevHash = GENESIS_HASH;
    let entries = 0;
    for (;;) {
      const rows: Row[] = await this.dataSource.query(
        `SELECT seq, at, board, kind, entry, prev_hash, hash FROM audit_log
         WHERE seq >= $1 AND seq <= $2 ORDER BY seq LIMIT $3`,
        [expectedSeq, headSeq, VERIFY_PAGE],
      );
      for (const row of rows) {
        entries += 1;
        const seq = Number(row.seq);
        if (seq !== expectedSeq) return broken(entries, expectedSeq, 'SEQUENCE_GAP');
        if (row.prev_hash !== prevHash) return broken(entries, seq, 'PREVIOUS_HASH_MISMATCH');
        const recomputed = auditHash(prevHash, {
          seq,
          at: new Date(row.at).toISOString(),
          board: row.board,
          kind: row.kind,
          entry: row.entry,
        });
        if (recomputed !== row.hash) return broken(entries, seq, 'HASH_MISMATCH');
        prevHash = row.hash;
        expectedSeq = seq + 1;
      }
      if (rows.length < VERIFY_PAGE) break;
    }
    if (expectedSeq - 1 < headSeq) return broken(entries, expectedSeq, 'TRUNCATED');
    if (prevHash !== headHash) return broken(entries, headSeq, 'HEAD_MISMATCH');
    return { entries, valid: true, headHash };
  }
}

function broken(entries: number, seq: number, reason: AuditBreakReason): AuditVerification {
  return { entries, valid: false, brokenAt: { seq, reason } };
}
