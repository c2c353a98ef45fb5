import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { fileURLToPath } from 'node:url';
import { pupilPseudonym } from '#domain';
import {
  type DataSource,
  EmbeddedPostgres,
  GENESIS_HASH,
  TypeOrmAuditLog,
  TypeOrmDisclosureStore,
  TypeOrmPupilRegistry,
  openDatabase,
} from '#persistence';
import { createTestDatabase, testDatabaseUrl, type TestDatabase } from '#testing';

const BIN = fileURLToPath(new URL('../../../bin/ketenpoort.js', import.meta.url));
const DATA_KEY = Buffer.alloc(32, 3);
const PSEUDONYM_KEY = Buffer.alloc(32, 5);

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function cli(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { env: { ...process.env, ...env } },
      (error, stdout, stderr) => {
        resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
      },
    );
  });
}

/**
 * `audit verify` and `access-report`: with DATABASE_URL set, against a fresh server database named by
 * --database-url; otherwise against the embedded database in DATA_DIR (the default), which the test opens
 * only between CLI runs (one process at a time owns a PGlite data directory).
 */
describe('ketenpoort audit verify / access-report', () => {
  let database: TestDatabase | null = null;
  let dataDir: string;
  let env: Record<string, string>;
  let dbArgs: string[] = [];

  async function withDb<T>(work: (dataSource: DataSource) => Promise<T>): Promise<T> {
    const embedded = database ? null : await EmbeddedPostgres.start(dataDir);
    const dataSource = await openDatabase({ url: database?.url ?? embedded!.url, poolSize: 2 });
    try {
      return await work(dataSource);
    } finally {
      await dataSource.destroy();
      await embedded?.stop();
    }
  }

  beforeAll(async () => {
    if (testDatabaseUrl()) {
      database = await createTestDatabase();
      dbArgs = ['--database-url', database.url];
    }
    dataDir = await mkdtemp(join(tmpdir(), 'ketenpoort-cli-'));
    env = {
      DATA_DIR: dataDir,
      LOG_LEVEL: 'silent',
      PUPIL_DATA_KEY: DATA_KEY.toString('base64'),
      PUPIL_PSEUDONYM_KEY: PSEUDONYM_KEY.toString('base64'),
    };
  });

  afterAll(async () => {
    await database?.drop();
    await rm(dataDir, { recursive: true, force: true });
  });

  beforeEach(async () => {
    await withDb(async (dataSource) => {
      await dataSource.query('DELETE FROM audit_log');
      await dataSource.query('DELETE FROM audit_board_head');
      await dataSource.query('UPDATE audit_chain_head SET seq = 0, hash = $1', [GENESIS_HASH]);
      await dataSource.query('UPDATE audit_chain_seal SET seq = 0, hash = $1', [GENESIS_HASH]);
      await dataSource.query('ALTER SEQUENCE audit_log_seq RESTART WITH 1');
      const log = new TypeOrmAuditLog(dataSource);
      for (let i = 1; i <= 4; i++) {
        await log.append([{ board: 'B1', kind: 'DECISION', entry: { request: `r${i}` } }], new Date());
      }
      // A second board's chain, appended after B1's four (global seq 5 and 6).
      for (let i = 1; i <= 2; i++) {
        await log.append([{ board: 'B2', kind: 'DECISION', entry: { request: `q${i}` } }], new Date());
      }
    });
  });

  const verify = () => cli(['audit', 'verify', ...dbArgs], env);

  it('prints {"entries":N,"valid":true} for an untouched log, with the sealed chain and every board chain, exit 0', async () => {
    const run = await verify();
    assert.equal(run.code, 0, run.stderr);
    const result = JSON.parse(run.stdout);
    expect([result.entries, result.valid]).toEqual([6, true]);
    expect([result.sealed.entries, result.sealed.valid]).toEqual([0, true]);
    expect(
      result.boards.map((b: { board: string; entries: number; valid: boolean }) => [
        b.board,
        b.entries,
        b.valid,
      ]),
    ).toEqual([
      ['B1', 4, true],
      ['B2', 2, true],
    ]);
  });

  for (const [name, tamper, brokenAt] of [
    [
      'an edited entry',
      `UPDATE audit_log SET entry = '{"request":"x"}' WHERE seq = 2`,
      { seq: 2, reason: 'HASH_MISMATCH' },
    ],
    [
      'two swapped entries',
      `UPDATE audit_log SET seq = -seq, chain_seq = -chain_seq WHERE seq IN (2, 3); UPDATE audit_log SET seq = CASE seq WHEN -2 THEN 3 ELSE 2 END, chain_seq = CASE chain_seq WHEN -2 THEN 3 ELSE 2 END WHERE seq < 0`,
      { seq: 2, reason: 'PREVIOUS_HASH_MISMATCH' },
    ],
    ['a deleted middle entry', `DELETE FROM audit_log WHERE seq = 2`, { seq: 2, reason: 'SEQUENCE_GAP' }],
    ['a deleted last entry', `DELETE FROM audit_log WHERE seq = 4`, { seq: 4, reason: 'TRUNCATED' }],
  ] as const) {
    it(`names ${name} and exits 1`, async () => {
      await withDb((dataSource) => dataSource.query(tamper));
      const run = await verify();
      assert.equal(run.code, 1);
      const result = JSON.parse(run.stdout);
      expect(result.brokenAt).toEqual({ board: 'B1', ...brokenAt });
      assert.match(run.stderr, /chain of board B1 is broken at entry/);
      // The other board's chain is unaffected.
      expect(result.boards.find((b: { board: string }) => b.board === 'B2').valid).toEqual(true);
    });
  }

  it('bad usage exits 2', async () => {
    assert.equal((await cli(['audit', 'check'], env)).code, 2);
    assert.equal((await cli(['access-report', '--board', 'B1'], env)).code, 2);
  });

  it('access-report prints the same report as the gateway, JSON or HTML, and refuses an unknown pupil', async () => {
    await withDb(async (dataSource) => {
      const pupils = new TypeOrmPupilRegistry(dataSource, DATA_KEY);
      await pupils.upsert(
        { board: 'B1', schools: null },
        'p-7',
        {
          school: '99XX',
          birthDate: '2010-02-03',
          sector: 'vo',
          enrolledFrom: '2022-08-01',
          bsn: '111222333',
        },
        pupilPseudonym(PSEUDONYM_KEY, 'B1', 'p-7'),
        new Date(),
      );
      await new TypeOrmDisclosureStore(dataSource).record(
        {
          id: '00000000-0000-4000-8000-000000000001',
          board: 'B1',
          pupilPseudonym: pupilPseudonym(PSEUDONYM_KEY, 'B1', 'p-7'),
          request: {
            recipient: { kind: 'DUO' },
            purpose: 'STATUTORY_REPORT',
            pupil: { ageAtDate: 15 },
            fields: ['absence.hours'],
          },
          decision: {
            effect: 'permit',
            released: ['absence.hours'],
            withheld: [],
            determinedBy: ['duo'],
            policy: { id: 'p', version: '1' },
          },
          sent: true,
          legalBasis: 'Leerplichtwet 1969 art. 21a',
          retainedUntil: '2031-01-01',
          reference: null,
        },
        new Date(),
      );
    });
    const json = await cli(['access-report', '--pupil', 'p-7', '--board', 'B1', ...dbArgs], env);
    assert.equal(json.code, 0, json.stderr);
    const report = JSON.parse(json.stdout);
    assert.equal(report.pupil.bsn, 'aanwezig, versleuteld opgeslagen');
    expect(report.disclosures.map((d: { released: string[] }) => d.released)).toEqual([['absence.hours']]);
    assert.ok(!json.stdout.includes('111222333'));
    const html = await cli(
      ['access-report', '--pupil', 'p-7', '--board', 'B1', '--format', 'html', ...dbArgs],
      env,
    );
    assert.match(html.stdout, /^<!doctype html>/);
    assert.match(html.stdout, /Leerplichtwet 1969 art. 21a/);
    const other = await cli(['access-report', '--pupil', 'p-7', '--board', 'B2', ...dbArgs], env);
    assert.equal(other.code, 1);
    assert.match(other.stderr, /PUPIL_NOT_FOUND/);
  });
});
