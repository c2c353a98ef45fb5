import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from '@jest/globals';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const GATEWAY = fileURLToPath(new URL('../../apps/gateway/src/main.js', import.meta.url));
const WORKER = fileURLToPath(new URL('../../apps/worker/src/main.js', import.meta.url));
const DEFAULT_POLICY = fileURLToPath(new URL('../../../config/privacy/default.policy.yaml', import.meta.url));

async function failingStart(
  main: string,
  env: Record<string, string>,
): Promise<{ code: number; stderr: string }> {
  try {
    await run(process.execPath, [main], {
      env: { PATH: process.env['PATH'] ?? '', ...env },
      timeout: 30_000,
    });
  } catch (error) {
    const e = error as { code: number; stderr: string };
    return { code: e.code, stderr: e.stderr };
  }
  assert.fail('expected the process to refuse to start');
}

describe('start-up with bad configuration', () => {
  it('the gateway exits at once naming DATABASE_URL, never its value', async () => {
    const { code, stderr } = await failingStart(GATEWAY, { DATABASE_URL: 'not-a-url', PORT: '0' });
    assert.equal(code, 78);
    assert.match(stderr, /DATABASE_URL is not a valid URL/);
    assert.doesNotMatch(stderr, /not-a-url/);
    assert.doesNotMatch(stderr, /\n\s+at /, 'no stack trace');
  });

  it('the gateway names every bad setting at once, hiding a password in a URL', async () => {
    const { code, stderr } = await failingStart(GATEWAY, { AMQP_URL: 'https://u:s3cret@mq', PORT: 'eighty' });
    assert.equal(code, 78);
    assert.match(stderr, /AMQP_URL/);
    assert.match(stderr, /PORT/);
    assert.doesNotMatch(stderr, /s3cret/);
  });

  it('the gateway proves PRIVACY_POLICY_FILE before anything starts: failing, exit 78 naming the invariant', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ketenpoort-start-'));
    try {
      const policy = (await readFile(DEFAULT_POLICY, 'utf8'))
        .replace(
          / {2}- id: bsn-alleen-naar-duo\n {4}effect: forbid\n/,
          '  - id: bsn-alleen-naar-duo\n    effect: forbid\n    enabled: false\n',
        )
        .replace(
          '[onderwijsnummer, identification, contact, school, absence, absence_clock, school_action, reporter]',
          '[bsn, onderwijsnummer, identification, contact, school, absence, absence_clock, school_action, reporter]',
        );
      const file = join(dir, 'unproven.policy.yaml');
      await writeFile(file, policy);
      const { code, stderr } = await failingStart(GATEWAY, {
        PRIVACY_POLICY_FILE: file,
        DATA_DIR: dir,
        PORT: '0',
      });
      assert.equal(code, 78);
      assert.match(stderr, /PRIVACY_POLICY_FILE \(.*\): POLICY_PROOF_FAILED/);
      assert.match(
        stderr,
        /INVARIANT_VIOLATED: bsn-alleen-naar-duo: Wettelijke invariant bsn-alleen-naar-duo houdt geen stand/,
      );
      assert.doesNotMatch(stderr, /\n\s+at /, 'no stack trace');
      const missing = await failingStart(GATEWAY, {
        PRIVACY_POLICY_FILE: join(dir, 'nope.yaml'),
        DATA_DIR: dir,
        PORT: '0',
      });
      assert.equal(missing.code, 78);
      assert.match(missing.stderr, /PRIVACY_POLICY_FILE cannot be read/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('the separate worker refuses to start without a broker', async () => {
    const { code, stderr } = await failingStart(WORKER, { DATABASE_URL: 'postgres://127.0.0.1:1/x' });
    assert.equal(code, 78);
    assert.match(stderr, /AMQP_URL is required/);
  });
});
