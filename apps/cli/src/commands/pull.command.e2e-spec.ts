import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import {
  type FakeSchoolApi,
  type TestDatabase,
  createTestDatabase,
  startFakeSchoolApi,
  testDatabaseUrl,
} from '#testing';

const run = promisify(execFile);
const MAIN = fileURLToPath(new URL('../main.js', import.meta.url));

describe('ketenpoort pull --once (embedded DATA_DIR, or DATABASE_URL when set)', () => {
  let api: FakeSchoolApi;
  let dir: string;
  let database: TestDatabase | null = null;
  let env: Record<string, string>;

  beforeAll(async () => {
    api = await startFakeSchoolApi({ somtodayRepeat: 3 });
    dir = await mkdtemp(join(tmpdir(), 'ketenpoort-pull-cli-'));
    await writeFile(
      join(dir, 'sources.yaml'),
      [
        'sources:',
        '  - name: somtoday-99xx',
        '    system: somtoday',
        '    board: B1',
        '    school: 99XX',
        `    baseUrl: ${api.url}`,
        `    tokenUrl: ${api.url}/oauth2/token`,
        '    clientId: ketenpoort',
        '    clientSecretEnv: SOMTODAY_CLIENT_SECRET',
        '    pageSize: 2',
        '    resources: [absentiemeldingen]',
        '',
      ].join('\n'),
    );
    env = {
      PATH: process.env['PATH'] ?? '',
      DATA_DIR: join(dir, 'data'),
      LOG_LEVEL: 'silent',
      DEMO_DATA: 'false',
      SOMTODAY_CLIENT_SECRET: 'fake-secret',
    };
    if (testDatabaseUrl()) {
      database = await createTestDatabase();
      env['DATABASE_URL'] = database.url;
    }
  });

  afterAll(async () => {
    await api?.close();
    await database?.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it('runs one pull into the store and prints the run result', async () => {
    const { stdout } = await run(
      process.execPath,
      [MAIN, 'pull', '--source', 'somtoday-99xx', '--sources', join(dir, 'sources.yaml'), '--once'],
      { env },
    );
    const result = JSON.parse(stdout.trim());
    assert.equal(result.source, 'somtoday-99xx');
    assert.equal(result.ok, true);
    assert.equal(result.pages, 3);
    assert.ok(result.records >= 6);
    expect(result.errors).toEqual([]);
    assert.ok(!stdout.includes('fake-secret'));
    // Again: the same records (idempotent), new batches.
    const again = JSON.parse(
      (
        await run(
          process.execPath,
          [MAIN, 'pull', '--source', 'somtoday-99xx', '--sources', join(dir, 'sources.yaml'), '--once'],
          { env },
        )
      ).stdout.trim(),
    );
    assert.equal(again.records, result.records);
  });

  it('an unknown source or a missing secret is a usage error (exit 2) naming the problem, not the value', async () => {
    await assert.rejects(
      run(
        process.execPath,
        [MAIN, 'pull', '--source', 'nope', '--sources', join(dir, 'sources.yaml'), '--once'],
        { env },
      ),
      (error: { code: number; stderr: string }) =>
        error.code === 2 && /unknown source "nope"/.test(error.stderr),
    );
    const { SOMTODAY_CLIENT_SECRET: _unused, ...withoutSecret } = env;
    await assert.rejects(
      run(
        process.execPath,
        [MAIN, 'pull', '--source', 'somtoday-99xx', '--sources', join(dir, 'sources.yaml'), '--once'],
        {
          env: withoutSecret,
        },
      ),
      (error: { code: number; stderr: string }) =>
        error.code === 2 && /SOMTODAY_CLIENT_SECRET is not set/.test(error.stderr),
    );
  });

  it('a failing source exits 1 with the coded error in the result', async () => {
    api.inject('/rest/v1/absentiemeldingen', { status: 403 });
    await assert.rejects(
      run(
        process.execPath,
        [MAIN, 'pull', '--source', 'somtoday-99xx', '--sources', join(dir, 'sources.yaml'), '--once'],
        { env },
      ),
      (error: { code: number; stdout: string }) =>
        error.code === 1 && JSON.parse(error.stdout.trim()).errors[0].code === 'PULL_FORBIDDEN',
    );
  });
});
