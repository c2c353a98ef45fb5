// Issue 12 item 7 (and item 9's last point): a production process never makes up keys of its own.
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { GATEWAY, TEST_KEY, UNREACHABLE_DATABASE_URL, WORKER, failingStart } from './support.js';

describe('production mode refuses to start without shared keys (issue 12, item 7)', () => {
  let dataDir: string;
  let verificationKeys: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'kp-abuse-keys-'));
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    verificationKeys = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  const production = (): Record<string, string> => ({
    DATABASE_URL: process.env['DATABASE_URL'] || UNREACHABLE_DATABASE_URL,
    AUTH_PUBLIC_KEYS: verificationKeys,
    DATA_DIR: dataDir,
    PORT: '0',
  });

  it('the gateway without PUPIL_DATA_KEY and PUPIL_PSEUDONYM_KEY exits 78 naming both, creating no key file', async () => {
    const { code, stderr } = await failingStart(GATEWAY, production());
    assert.equal(code, 78);
    assert.match(stderr, /PUPIL_DATA_KEY/);
    assert.match(stderr, /PUPIL_PSEUDONYM_KEY/);
    assert.match(stderr, /every replica/);
    assert.doesNotMatch(stderr, /\n\s+at /, 'no stack trace');
    expect((await readdir(dataDir)).filter((name) => name.startsWith('privacy-keys'))).toEqual([]); // 'no privacy key file of its own'
  });

  it('the gateway with only one of the two keys exits 78 naming the missing one', async () => {
    const { code, stderr } = await failingStart(GATEWAY, { ...production(), PUPIL_DATA_KEY: TEST_KEY });
    assert.equal(code, 78);
    assert.match(stderr, /PUPIL_PSEUDONYM_KEY/);
    assert.doesNotMatch(stderr, /PUPIL_DATA_KEY is required/);
  });

  it('the separate worker without the keys exits 78 as well', async () => {
    const { code, stderr } = await failingStart(WORKER, {
      ...production(),
      AMQP_URL: process.env['AMQP_URL'] || 'amqp://guest:guest@127.0.0.1:1',
    });
    assert.equal(code, 78);
    assert.match(stderr, /PUPIL_DATA_KEY/);
    assert.match(stderr, /PUPIL_PSEUDONYM_KEY/);
  });

  it('a production gateway without verification keys exits 78 as documented (not 1)', async () => {
    const env = { ...production(), PUPIL_DATA_KEY: TEST_KEY, PUPIL_PSEUDONYM_KEY: TEST_KEY };
    delete (env as Record<string, string | undefined>)['AUTH_PUBLIC_KEYS'];
    const { code, stderr } = await failingStart(GATEWAY, env);
    assert.equal(code, 78);
    assert.match(stderr, /No verification keys/);
    assert.doesNotMatch(stderr, /\n\s+at /, 'no stack trace');
  });
});
