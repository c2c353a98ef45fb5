import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { DataSource } from 'typeorm';
import { createTestDatabase, type TestDatabase } from '#testing';
import { openDatabase } from '../data-source.js';
import { GENESIS_HASH, auditHash } from './audit-log.hash.js';
import { TypeOrmAuditLog } from './audit-log.repository.js';

/** The audit chain on PGlite by default, on PostgreSQL when DATABASE_URL is set. */
describe('audit log hash chain', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let log: TypeOrmAuditLog;
  const at = new Date('2026-02-01T10:00:00.123Z');

  before(async () => {
    database = await createTestDatabase();
    dataSource = await openDatabase({ url: database.url, poolSize: 4 });
    log = new TypeOrmAuditLog(dataSource);
  });

  after(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  beforeEach(async () => {
    await dataSource.query('DELETE FROM audit_log');
    await dataSource.query(`UPDATE audit_chain_head SET seq = 0, hash = $1`, [GENESIS_HASH]);
    for (let i = 1; i <= 5; i++) {
      await log.append(
        [{ board: 'B1', kind: 'DECISION', entry: { pupil: `pp_${i}`, released: ['absence.hours'], n: i } }],
        at,
      );
    }
  });

  it('an untouched chain is valid and names its head', async () => {
    const result = await log.verify();
    assert.equal(result.entries, 5);
    assert.equal(result.valid, true);
    const head = await dataSource.query('SELECT hash FROM audit_chain_head');
    assert.ok(result.valid && result.headHash === head[0].hash);
  });

  it('the hash is SHA-256 over the previous hash and the JCS form of the entry, as documented', async () => {
    const [first] = await dataSource.query('SELECT * FROM audit_log WHERE seq = 1');
    assert.equal(first.prev_hash, GENESIS_HASH);
    assert.equal(
      first.hash,
      auditHash(GENESIS_HASH, {
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
    assert.deepEqual(await log.verify(), {
      entries: 3,
      valid: false,
      brokenAt: { seq: 3, reason: 'HASH_MISMATCH' },
    });
  });

  it('detects an edited column outside the entry (kind, board, time)', async () => {
    await dataSource.query(`UPDATE audit_log SET at = at + interval '1 second' WHERE seq = 2`);
    const result = await log.verify();
    assert.deepEqual(result, { entries: 2, valid: false, brokenAt: { seq: 2, reason: 'HASH_MISMATCH' } });
  });

  it('detects two entries swapped', async () => {
    await dataSource.query(`UPDATE audit_log SET seq = -2 WHERE seq = 2`);
    await dataSource.query(`UPDATE audit_log SET seq = 2 WHERE seq = 3`);
    await dataSource.query(`UPDATE audit_log SET seq = 3 WHERE seq = -2`);
    assert.deepEqual(await log.verify(), {
      entries: 2,
      valid: false,
      brokenAt: { seq: 2, reason: 'PREVIOUS_HASH_MISMATCH' },
    });
  });

  it('detects a deleted entry in the middle', async () => {
    await dataSource.query(`DELETE FROM audit_log WHERE seq = 3`);
    assert.deepEqual(await log.verify(), {
      entries: 3,
      valid: false,
      brokenAt: { seq: 3, reason: 'SEQUENCE_GAP' },
    });
  });

  it('detects a deleted last entry through the chain head', async () => {
    await dataSource.query(`DELETE FROM audit_log WHERE seq = 5`);
    assert.deepEqual(await log.verify(), {
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
    assert.deepEqual(await log.verify(), {
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
  });

  it('walks a chain longer than one page', async () => {
    const many = Array.from({ length: 1_200 }, (_, i) => ({
      board: 'B1',
      kind: 'DECISION' as const,
      entry: { request: `r${i}` },
    }));
    await log.append(many, at);
    const result = await log.verify();
    assert.deepEqual([result.valid, result.entries], [true, 1_205]);
    await dataSource.query(`UPDATE audit_log SET board = 'B2' WHERE seq = 1100`);
    assert.deepEqual(await log.verify(), {
      entries: 1_100,
      valid: false,
      brokenAt: { seq: 1100, reason: 'HASH_MISMATCH' },
    });
  });
});
