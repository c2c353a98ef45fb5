import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { fileURLToPath } from 'node:url';
import { EmbeddedPostgres, TypeOrmRetentionRecords, openDatabase } from '#persistence';

const BIN = fileURLToPath(new URL('../../../bin/ketenpoort.js', import.meta.url));

function cli(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number; stdout: string; stderr: string }> {
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
 * `ketenpoort register` (ADR 0025) on the embedded database: a board's register, and the host's processor
 * register across every board with the details their privacy officers filled in.
 */
describe('ketenpoort register', () => {
  let dataDir: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'ketenpoort-cli-register-'));
    env = {
      DATA_DIR: dataDir,
      LOG_LEVEL: 'silent',
      PUPIL_DATA_KEY: Buffer.alloc(32, 3).toString('base64'),
      PUPIL_PSEUDONYM_KEY: Buffer.alloc(32, 5).toString('base64'),
      REGISTER_PROCESSOR_NAME: 'Hostingpartij BV',
      DATABASE_URL: '',
    };
    // The first run creates and migrates the database; then two boards fill in their details.
    const first = await cli(['register', '--kind', 'processor'], env);
    assert.equal(first.code, 0, first.stderr);
    const embedded = await EmbeddedPostgres.start(dataDir);
    const dataSource = await openDatabase({ url: embedded.url, poolSize: 2 });
    try {
      const records = new TypeOrmRetentionRecords(dataSource);
      await records.saveControllerDetails(
        'B1',
        { name: 'Stichting Een', contact: null, privacyOfficer: null },
        'fg',
        new Date(),
      );
      await records.saveControllerDetails(
        'B2',
        { name: 'Stichting Twee', contact: null, privacyOfficer: null },
        'fg',
        new Date(),
      );
    } finally {
      await dataSource.destroy();
      await embedded.stop();
    }
  });

  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('gives the host the processor register across every board, as JSON and CSV', async () => {
    const run = await cli(['register', '--kind', 'processor'], env);
    assert.equal(run.code, 0, run.stderr);
    const register = JSON.parse(run.stdout);
    assert.equal(register.processor.name, 'Hostingpartij BV');
    expect(register.controllers.map((c: { board: string; name: string }) => [c.board, c.name])).toEqual([
      ['B1', 'Stichting Een'],
      ['B2', 'Stichting Twee'],
    ]);
    const csv = await cli(['register', '--kind', 'processor', '--format', 'csv'], env);
    assert.equal(csv.code, 0, csv.stderr);
    assert.ok(csv.stdout.includes('Verwerkingsverantwoordelijke,Stichting Een (B1)'));
  });

  it("gives one board's controller register, and refuses bad usage with exit 2", async () => {
    const run = await cli(['register', '--kind', 'controller', '--board', 'B2'], env);
    assert.equal(run.code, 0, run.stderr);
    const register = JSON.parse(run.stdout);
    assert.equal(register.controller.name, 'Stichting Twee');
    assert.ok(register.recipients.some((r: { recipient: string }) => r.recipient === 'DUO'));
    assert.equal((await cli(['register', '--kind', 'controller'], env)).code, 2);
    assert.equal((await cli(['register', '--kind', 'other'], env)).code, 2);
    assert.equal((await cli(['register', '--format', 'pdf', '--board', 'B1'], env)).code, 2);
  });
});
