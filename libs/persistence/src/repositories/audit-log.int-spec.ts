import assert from 'node:assert/strict';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { createTestDatabase, type TestDatabase } from '#testing';
import { openDatabase } from '../data-source.js';
import { GENESIS_HASH, auditHash } from './audit-log.hash.js';
import { TypeOrmAuditLog, checkpointHash } from './audit-log.repository.js';

/** Empties the log, the seal and every board head, and restarts the row sequence (each test starts afresh). */
async function resetLog(dataSource: DataSource): Promise<void> {
  await dataSource.query('DELETE FROM audit_log');
  await dataSource.query('DELETE FROM audit_board_head');
  await dataSource.query(`UPDATE audit_chain_head SET seq = 0, hash = $1`, [GENESIS_HASH]);
  await dataSource.query(`UPDATE audit_chain_seal SET seq = 0, hash = $1`, [GENESIS_HASH]);
  await dataSource.query(`ALTER SEQUENCE audit_log_seq RESTART WITH 1`);
}

/** The audit chain of one board (B1 here) on PGlite by default, on PostgreSQL when DATABASE_URL is set. */
describe('audit log hash chain', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let log: TypeOrmAuditLog;
  const at = new Date('2026-02-01T10:00:00.123Z');

  beforeAll(async () => {
    database = await createTestDatabase();
    dataSource = await openDatabase({ url: database.url, poolSize: 4 });
    log = new TypeOrmAuditLog(dataSource);
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  /** B1's chain without the board and checkpoint it names (those are checked where they matter). */
  const verifyB1 = async () => {
    const { board, checkpoint, ...result } = await log.verifyBoard('B1');
    assert.equal(board, 'B1');
    expect(checkpoint).toEqual({ sealedSeq: 0, sealedHash: GENESIS_HASH });
    return result;
  };

  beforeEach(async () => {
    await resetLog(dataSource);
    for (let i = 1; i <= 5; i++) {
      await log.append(
        [{ board: 'B1', kind: 'DECISION', entry: { pupil: `pp_${i}`, released: ['absence.hours'], n: i } }],
        at,
      );
    }
  });

  it('an untouched chain is valid and names its head', async () => {
    const result = await verifyB1();
    assert.equal(result.entries, 5);
    assert.equal(result.valid, true);
    const head = await dataSource.query(`SELECT hash FROM audit_board_head WHERE board = 'B1'`);
    assert.ok(result.valid && result.headHash === head[0].hash);
    const whole = await log.verify();
    expect([whole.entries, whole.valid, whole.sealed.entries, whole.boards.length]).toEqual([5, true, 0, 1]);
  });

  it('the hash is SHA-256 over the previous hash and the JCS form of the entry, as documented', async () => {
    const [first] = await dataSource.query('SELECT * FROM audit_log WHERE seq = 1');
    // A board's chain starts from its checkpoint of the sealed head (here: the empty sealed chain).
    const checkpoint = checkpointHash('B1', 0, GENESIS_HASH);
    assert.equal(first.prev_hash, checkpoint);
    assert.equal(
      first.hash,
      auditHash(checkpoint, {
        seq: 1,
        at: at.toISOString(),
        board: 'B1',
        kind: 'DECISION',
        entry: first.entry,
      }),
    );
    // Key order in the stored JSON does not matter: JCS sorts keys.
    assert.equal(
      auditHash('x', { seq: 1, at: 'a', board: 'b', kind: 'k', entry: { b: 1, a: [2, { d: 3, c: 4 }] } }),
      auditHash('x', { seq: 1, at: 'a', board: 'b', kind: 'k', entry: { a: [2, { c: 4, d: 3 }], b: 1 } }),
    );
  });

  it('detects an edited entry', async () => {
    await dataSource.query(
      `UPDATE audit_log SET entry = jsonb_set(entry, '{released}', '["pupil.bsn"]') WHERE seq = 3`,
    );
    expect(await verifyB1()).toEqual({
      entries: 3,
      valid: false,
      brokenAt: { seq: 3, reason: 'HASH_MISMATCH' },
    });
  });

  it('detects an edited column outside the entry (kind, board, time)', async () => {
    await dataSource.query(`UPDATE audit_log SET at = at + interval '1 second' WHERE seq = 2`);
    const result = await verifyB1();
    expect(result).toEqual({ entries: 2, valid: false, brokenAt: { seq: 2, reason: 'HASH_MISMATCH' } });
  });

  it('detects two entries swapped', async () => {
    await dataSource.query(`UPDATE audit_log SET seq = -2, chain_seq = -2 WHERE seq = 2`);
    await dataSource.query(`UPDATE audit_log SET seq = 2, chain_seq = 2 WHERE seq = 3`);
    await dataSource.query(`UPDATE audit_log SET seq = 3, chain_seq = 3 WHERE seq = -2`);
    expect(await verifyB1()).toEqual({
      entries: 2,
      valid: false,
      brokenAt: { seq: 2, reason: 'PREVIOUS_HASH_MISMATCH' },
    });
  });

  it('detects a deleted entry in the middle', async () => {
    await dataSource.query(`DELETE FROM audit_log WHERE seq = 3`);
    expect(await verifyB1()).toEqual({
      entries: 3,
      valid: false,
      brokenAt: { seq: 3, reason: 'SEQUENCE_GAP' },
    });
  });

  it('detects a deleted last entry through the chain head', async () => {
    await dataSource.query(`DELETE FROM audit_log WHERE seq = 5`);
    expect(await verifyB1()).toEqual({
      entries: 4,
      valid: false,
      brokenAt: { seq: 5, reason: 'TRUNCATED' },
    });
  });

  it('detects a rewritten last entry whose hash was recomputed but the head was not', async () => {
    const [prev] = await dataSource.query('SELECT hash FROM audit_log WHERE seq = 4');
    const entry = { pupil: 'pp_5', released: ['pupil.bsn'], n: 5 };
    const hash = auditHash(prev.hash, { seq: 5, at: at.toISOString(), board: 'B1', kind: 'DECISION', entry });
    await dataSource.query(`UPDATE audit_log SET entry = $1::jsonb, hash = $2 WHERE seq = 5`, [
      JSON.stringify(entry),
      hash,
    ]);
    expect(await verifyB1()).toEqual({
      entries: 5,
      valid: false,
      brokenAt: { seq: 5, reason: 'HEAD_MISMATCH' },
    });
  });

  it('concurrent appenders never fork the chain', async () => {
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        log.append([{ board: `B${i % 3}`, kind: 'DISCLOSURE', entry: { request: `r${i}` } }], new Date()),
      ),
    );
    const result = await log.verify();
    assert.equal(result.valid, true);
    assert.equal(result.entries, 25);
    expect(result.boards.map((b) => [b.board, b.entries])).toEqual([
      ['B0', 7],
      ['B1', 12],
      ['B2', 6],
    ]);
  });

  it('walks a chain longer than one page', async () => {
    const many = Array.from({ length: 1_200 }, (_, i) => ({
      board: 'B1',
      kind: 'DECISION' as const,
      entry: { request: `r${i}` },
    }));
    await log.append(many, at);
    const result = await verifyB1();
    expect([result.valid, result.entries]).toEqual([true, 1_205]);
    await dataSource.query(`UPDATE audit_log SET board = 'B2' WHERE seq = 1100`);
    expect(await verifyB1()).toEqual({
      entries: 1_100,
      valid: false,
      brokenAt: { seq: 1100, reason: 'HASH_MISMATCH' },
    });
  });

  it('each board has its own chain: tampering with one leaves another untouched and tells it nothing', async () => {
    for (let i = 1; i <= 3; i++)
      await log.append([{ board: 'B2', kind: 'DECISION', entry: { pupil: `pq_${i}`, n: i } }], at);
    const before = await log.verifyBoard('B2');
    expect([before.valid, before.entries]).toEqual([true, 3]);
    await dataSource.query(
      `UPDATE audit_log SET entry = jsonb_set(entry, '{released}', '["pupil.bsn"]') WHERE chain = 'B1' AND chain_seq = 4`,
    );
    expect(await verifyB1()).toEqual({
      entries: 4,
      valid: false,
      brokenAt: { seq: 4, reason: 'HASH_MISMATCH' },
    });
    const after = await log.verifyBoard('B2');
    expect(after).toEqual(before); // "another board's verdict is unaffected"
    assert.ok(
      !JSON.stringify(after).includes('B1') && !JSON.stringify(after).includes('pp_'),
      'and says nothing of B1',
    );
    const whole = await log.verify();
    expect(whole.valid ? null : whole.brokenAt).toEqual({ board: 'B1', seq: 4, reason: 'HASH_MISMATCH' });
    // Tampering with B2 instead: B1 is unaffected the other way round.
    await resetLog(dataSource);
    await log.append([{ board: 'B1', kind: 'DECISION', entry: { n: 1 } }], at);
    await log.append([{ board: 'B2', kind: 'DECISION', entry: { n: 1 } }], at);
    await dataSource.query(`DELETE FROM audit_log WHERE chain = 'B2'`);
    expect([(await log.verifyBoard('B1')).valid, (await log.verifyBoard('B2')).valid]).toEqual([true, false]);
  });

  it("an entry moved into another board's chain is missing from its own", async () => {
    await log.append([{ board: 'B2', kind: 'DECISION', entry: { n: 1 } }], at);
    await dataSource.query(
      `UPDATE audit_log SET chain = 'B2', chain_seq = 2 WHERE chain = 'B1' AND chain_seq = 5`,
    );
    expect(await verifyB1()).toEqual({
      entries: 4,
      valid: false,
      brokenAt: { seq: 5, reason: 'TRUNCATED' },
    });
    // In B2 it lies beyond the head, where a walk does not look (entries after the head wait for the next run).
    assert.equal((await log.verifyBoard('B2')).entries, 1);
  });

  describe('the single chain of before, sealed', () => {
    /** Rows as the single chain wrote them before ADR 0012: global seq, no chain, linked from the genesis. */
    async function plantSealedChain(n: number): Promise<string> {
      await resetLog(dataSource);
      let prev = GENESIS_HASH;
      for (let seq = 1; seq <= n; seq++) {
        const entry = { pupil: `pp_old_${seq}` };
        const board = seq % 2 === 0 ? 'B1' : 'B2';
        const hash = auditHash(prev, { seq, at: at.toISOString(), board, kind: 'DECISION', entry });
        await dataSource.query(
          `INSERT INTO audit_log (seq, at, board, kind, entry, prev_hash, hash) VALUES ($1, $2, $3, 'DECISION', $4::jsonb, $5, $6)`,
          [seq, at, board, JSON.stringify(entry), prev, hash],
        );
        prev = hash;
      }
      // What the migration does: the head becomes the seal, the row sequence continues after it.
      await dataSource.query(`UPDATE audit_chain_head SET seq = $1, hash = $2`, [n, prev]);
      await dataSource.query(`UPDATE audit_chain_seal SET seq = $1, hash = $2`, [n, prev]);
      await dataSource.query(`SELECT setval('audit_log_seq', $1, false)`, [n + 1]);
      return prev;
    }

    it('stays verifiable as a whole; each board chain starts from a checkpoint recording its head', async () => {
      const sealedHead = await plantSealedChain(6);
      await log.append([{ board: 'B1', kind: 'DECISION', entry: { n: 'new' } }], at);
      await log.append([{ board: 'B2', kind: 'DECISION', entry: { n: 'new' } }], at);
      const whole = await log.verify();
      assert.equal(whole.valid, true);
      expect(whole.sealed).toEqual({ entries: 6, valid: true, headHash: sealedHead });
      assert.equal(whole.entries, 8);
      for (const board of whole.boards) {
        expect(board.checkpoint).toEqual({ sealedSeq: 6, sealedHash: sealedHead });
        assert.equal(board.entries, 1);
      }
      const [first] = await dataSource.query(`SELECT seq, prev_hash FROM audit_log WHERE chain = 'B1'`);
      assert.equal(Number(first.seq), 7, 'the row sequence continues after the sealed head');
      assert.equal(first.prev_hash, checkpointHash('B1', 6, sealedHead));
    });

    it('a tampered sealed chain is named as such; the board chains still verify', async () => {
      await plantSealedChain(4);
      await log.append([{ board: 'B1', kind: 'DECISION', entry: { n: 'new' } }], at);
      await dataSource.query(`UPDATE audit_log SET board = 'B9' WHERE seq = 2`);
      const whole = await log.verify();
      expect(whole.valid ? null : whole.brokenAt).toEqual({ board: null, seq: 2, reason: 'HASH_MISMATCH' });
      assert.equal((await log.verifyBoard('B1')).valid, true);
    });

    it('a rewritten seal breaks every board chain at its checkpoint', async () => {
      await plantSealedChain(3);
      await log.append([{ board: 'B1', kind: 'DECISION', entry: { n: 'new' } }], at);
      await dataSource.query(`UPDATE audit_chain_seal SET seq = 2`);
      const b1 = await log.verifyBoard('B1');
      expect(b1.valid ? null : b1.brokenAt).toEqual({ seq: 1, reason: 'CHECKPOINT_MISMATCH' });
    });
  });
});
