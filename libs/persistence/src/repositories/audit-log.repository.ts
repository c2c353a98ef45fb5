import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import type { DataSource, EntityManager } from 'typeorm';
import type {
  AuditBreakReason,
  AuditEntry,
  AuditLog,
  AuditLogVerification,
  AuditValue,
  AuditVerification,
  BoardChainVerification,
  NewAuditEntry,
} from '#domain';
import { GENESIS_HASH, auditHash } from './audit-log.hash.js';

const VERIFY_PAGE = 1_000;

interface Row {
  pos: string;
  at: Date;
  board: string;
  kind: string;
  entry: { [key: string]: AuditValue };
  prev_hash: string;
  hash: string;
}

/**
 * The prev_hash of a board chain's first entry: the checkpoint, which records the sealed head
 * (hex SHA-256 of `"checkpoint\n" + JCS({ board, sealedHash, sealedSeq })`). Altering the seal, the recorded
 * checkpoint or the board moves it, and the board's chain breaks at its first entry.
 */
export function checkpointHash(board: string, sealedSeq: number, sealedHash: string): string {
  const canonical = canonicalize({ board, sealedSeq, sealedHash });
  if (canonical === undefined) throw new Error('checkpoint has no JSON form');
  return createHash('sha256').update(`checkpoint\n${canonical}`, 'utf8').digest('hex');
}

/**
 * Appends inside the caller's transaction: the state change and its audit entry commit together. Each entry
 * goes to its board's chain (ADR 0012); the board's head row is locked FOR UPDATE, so concurrent appenders of
 * one board queue behind each other and never fork its chain, while boards do not wait for each other. A
 * board's first append creates its head from a checkpoint of the sealed head. Boards are locked in sorted
 * order, so appenders touching several boards cannot deadlock.
 */
export async function appendAuditEntries(
  em: Pick<EntityManager, 'query'>,
  entries: readonly NewAuditEntry[],
  at: Date,
): Promise<AuditEntry[]> {
  if (entries.length === 0) return [];
  const iso = at.toISOString();
  const heads = new Map<string, { seq: number; hash: string }>();
  for (const board of [...new Set(entries.map((e) => e.board))].sort())
    heads.set(board, await lockHead(em, board));
  const appended: AuditEntry[] = [];
  for (const input of entries) {
    const head = heads.get(input.board)!;
    const chainSeq = head.seq + 1;
    const hash = auditHash(head.hash, {
      seq: chainSeq,
      at: iso,
      board: input.board,
      kind: input.kind,
      entry: input.entry,
    });
    const rows: { seq: string }[] = await em.query(
      `INSERT INTO audit_log (seq, at, board, kind, entry, prev_hash, hash, chain, chain_seq)
       VALUES (nextval('audit_log_seq'), $1, $2, $3, $4::jsonb, $5, $6, $2, $7) RETURNING seq`,
      [at, input.board, input.kind, JSON.stringify(input.entry), head.hash, hash, chainSeq],
    );
    appended.push({ ...input, seq: Number(rows[0].seq), at: iso, prevHash: head.hash, hash });
    heads.set(input.board, { seq: chainSeq, hash });
  }
  for (const [board, head] of heads)
    await em.query(`UPDATE audit_board_head SET seq = $2, hash = $3 WHERE board = $1`, [
      board,
      head.seq,
      head.hash,
    ]);
  return appended;
}

async function lockHead(
  em: Pick<EntityManager, 'query'>,
  board: string,
): Promise<{ seq: number; hash: string }> {
  const locked = async (): Promise<{ seq: string; hash: string }[]> =>
    em.query(`SELECT seq, hash FROM audit_board_head WHERE board = $1 FOR UPDATE`, [board]);
  let head = await locked();
  if (head.length === 0) {
    const seal: { seq: string; hash: string }[] = await em.query(
      `SELECT seq, hash FROM audit_chain_seal WHERE id = 1`,
    );
    const sealedSeq = Number(seal[0]?.seq ?? 0);
    const sealedHash = seal[0]?.hash ?? GENESIS_HASH;
    await em.query(
      `INSERT INTO audit_board_head (board, seq, hash, sealed_seq, sealed_hash) VALUES ($1, 0, $2, $3, $4)
       ON CONFLICT DO NOTHING`,
      [board, checkpointHash(board, sealedSeq, sealedHash), sealedSeq, sealedHash],
    );
    head = await locked();
  }
  return { seq: Number(head[0].seq), hash: head[0].hash };
}

export class TypeOrmAuditLog implements AuditLog {
  constructor(private readonly dataSource: DataSource) {}

  async append(entries: readonly NewAuditEntry[], at: Date): Promise<AuditEntry[]> {
    return this.dataSource.transaction((em) => appendAuditEntries(em, entries, at));
  }

  /** The sealed chain, then every board's chain (boards in order), each up to the head read when its walk starts. */
  async verify(): Promise<AuditLogVerification> {
    const sealed = await this.verifySealed();
    const rows: { board: string }[] = await this.dataSource.query(
      `SELECT board FROM audit_board_head UNION SELECT DISTINCT chain AS board FROM audit_log WHERE chain IS NOT NULL
       ORDER BY board`,
    );
    const boards: BoardChainVerification[] = [];
    for (const { board } of rows) boards.push(await this.verifyBoard(board));
    const entries = sealed.entries + boards.reduce((n, b) => n + b.entries, 0);
    if (!sealed.valid)
      return { entries, valid: false, brokenAt: { board: null, ...sealed.brokenAt }, sealed, boards };
    const broken = boards.find((b) => !b.valid);
    if (broken && !broken.valid)
      return { entries, valid: false, brokenAt: { board: broken.board, ...broken.brokenAt }, sealed, boards };
    return { entries, valid: true, sealed, boards };
  }

  /**
   * One board's chain: its checkpoint must record the sealed head, its first entry must point at the
   * checkpoint, and every entry at the one before it, up to the board's head.
   */
  async verifyBoard(board: string): Promise<BoardChainVerification> {
    const heads: { seq: string; hash: string; sealed_seq: string; sealed_hash: string }[] =
      await this.dataSource.query(
        `SELECT seq, hash, sealed_seq, sealed_hash FROM audit_board_head WHERE board = $1`,
        [board],
      );
    const head = heads[0];
    if (!head) {
      const any: { n: string }[] = await this.dataSource.query(
        `SELECT count(*) AS n FROM audit_log WHERE chain = $1`,
        [board],
      );
      // No head: an empty chain, unless entries exist (then the head was removed).
      return Number(any[0].n) === 0
        ? { board, checkpoint: null, entries: 0, valid: true, headHash: GENESIS_HASH }
        : {
            board,
            checkpoint: null,
            entries: 0,
            valid: false,
            brokenAt: { seq: 1, reason: 'HEAD_MISMATCH' },
          };
    }
    const checkpoint = { sealedSeq: Number(head.sealed_seq), sealedHash: head.sealed_hash };
    const seal: { seq: string; hash: string }[] = await this.dataSource.query(
      `SELECT seq, hash FROM audit_chain_seal WHERE id = 1`,
    );
    if (
      Number(seal[0]?.seq ?? 0) !== checkpoint.sealedSeq ||
      (seal[0]?.hash ?? GENESIS_HASH) !== checkpoint.sealedHash
    )
      return { board, checkpoint, ...broken(0, 1, 'CHECKPOINT_MISMATCH') };
    const result = await this.walk(
      `chain = $4 AND chain_seq`,
      [board],
      checkpointHash(board, checkpoint.sealedSeq, checkpoint.sealedHash),
      Number(head.seq),
      head.hash,
    );
    return { board, checkpoint, ...result };
  }

  /** The single chain of before the per-board chains, sealed at the head it had then. */
  private async verifySealed(): Promise<AuditVerification> {
    const head: { seq: string; hash: string }[] = await this.dataSource.query(
      `SELECT seq, hash FROM audit_chain_seal WHERE id = 1`,
    );
    return this.walk(
      `chain IS NULL AND seq`,
      [],
      GENESIS_HASH,
      Number(head[0]?.seq ?? 0),
      head[0]?.hash ?? GENESIS_HASH,
    );
  }

  /**
   * Walks the entries selected by `where` (ending in the position column: `seq` or `chain_seq`) from position
   * 1 to `headSeq`, a page at a time, and stops at the first break.
   */
  private async walk(
    where: string,
    params: readonly unknown[],
    genesis: string,
    headSeq: number,
    headHash: string,
  ): Promise<AuditVerification> {
    const position = where.endsWith('chain_seq') ? 'chain_seq' : 'seq';
    let expectedSeq = 1;
    let prevHash = genesis;
    let entries = 0;
    for (;;) {
      const rows: Row[] = await this.dataSource.query(
        `SELECT ${position} AS pos, at, board, kind, entry, prev_hash, hash FROM audit_log
         WHERE ${where} >= $1 AND ${position} <= $2 ORDER BY ${position} LIMIT $3`,
        [expectedSeq, headSeq, VERIFY_PAGE, ...params],
      );
      for (const row of rows) {
        entries += 1;
        const seq = Number(row.pos);
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

function broken(
  entries: number,
  seq: number,
  reason: AuditBreakReason,
): AuditVerification & { valid: false } {
  return { entries, valid: false, brokenAt: { seq, reason } };
}
