import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { MIGRATIONS } from '#persistence';
import { type TestDatabase, createTestDatabase, testDatabaseUrl } from '#testing';

const run = promisify(execFile);
const MAIN = fileURLToPath(new URL('../main.js', import.meta.url));

describe('ketenpoort migrate (fresh embedded DATA_DIR, or DATABASE_URL when set)', () => {
  let dir: string;
  let database: TestDatabase | null = null;
  let env: Record<string, string>;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ketenpoort-migrate-cli-'));
    env = { PATH: process.env['PATH'] ?? '', DATA_DIR: join(dir, 'data'), LOG_LEVEL: 'silent' };
    if (testDatabaseUrl()) {
      database = await createTestDatabase();
      env['DATABASE_URL'] = database.url;
    }
  });

  afterAll(async () => {
    await database?.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it('applies every migration on a fresh store and prints them; a second run is a no-op', async () => {
    const expected = MIGRATIONS.map((m) => m.name);
    const first = await run(process.execPath, [MAIN, 'migrate'], { env, timeout: 120_000 });
    const result = JSON.parse(first.stdout.trim());
    expect(result.migrations).toEqual(expected);
    assert.ok(expected.length > 0);
    const again = await run(process.execPath, [MAIN, 'migrate'], { env, timeout: 120_000 });
    expect(JSON.parse(again.stdout.trim()).migrations).toEqual(expected);
  });

  it('refuses unexpected arguments with exit 2', async () => {
    await assert.rejects(run(process.execPath, [MAIN, 'migrate', '--now'], { env }), (error: unknown) => {
      assert.equal((error as { code: number }).code, 2);
      return true;
    });
  });
});
