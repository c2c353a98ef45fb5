// Issue 12 item 3: the demo token issuer hands anyone any role, so it may only ever run on a loopback address.
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { parse } from 'yaml';
import {
  GATEWAY,
  REPO_ROOT,
  TEST_KEY,
  UNREACHABLE_DATABASE_URL,
  failingStart,
  startGatewayProcess,
} from './support.js';

const NON_LOOPBACK_HOSTS = ['0.0.0.0', '::', '192.0.2.10'];

describe('the local token issuer only on a loopback address (issue 12, item 3)', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'kp-abuse-issuer-'));
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  for (const host of NON_LOOPBACK_HOSTS) {
    it(`refuses AUTH_LOCAL_ISSUER=true with HOST=${host} in production mode (exit 78)`, async () => {
      const { code, stderr } = await failingStart(GATEWAY, {
        HOST: host,
        AUTH_LOCAL_ISSUER: 'true',
        // Whatever else is set: real verification keys and a real identity provider change nothing.
        AUTH_JWKS_URL: 'https://idp.example.org/jwks',
        DATABASE_URL: UNREACHABLE_DATABASE_URL,
        PUPIL_DATA_KEY: TEST_KEY,
        PUPIL_PSEUDONYM_KEY: TEST_KEY,
        DATA_DIR: dataDir,
      });
      assert.equal(code, 78);
      assert.match(stderr, /AUTH_LOCAL_ISSUER may only run when HOST is a loopback address/);
      assert.doesNotMatch(stderr, /\n\s+at /, 'no stack trace');
    });
  }

  it('refuses AUTH_LOCAL_ISSUER=true with HOST=0.0.0.0 in embedded mode before opening anything', async () => {
    const { code, stderr } = await failingStart(GATEWAY, {
      HOST: '0.0.0.0',
      AUTH_LOCAL_ISSUER: 'true',
      DATA_DIR: dataDir,
      PORT: '0',
    });
    assert.equal(code, 78);
    assert.match(stderr, /AUTH_LOCAL_ISSUER may only run when HOST is a loopback address/);
  });

  it("the Docker image's HOST=0.0.0.0 without any identity provider says how to connect one (exit 78)", async () => {
    const { code, stderr } = await failingStart(GATEWAY, { HOST: '0.0.0.0', DATA_DIR: dataDir, PORT: '0' });
    assert.equal(code, 78);
    assert.match(stderr, /HOST is not a loopback address/);
    assert.match(stderr, /AUTH_JWKS_URL/);
  });

  it('the local OpenID Connect provider (/oidc) is refused on HOST=0.0.0.0 too', async () => {
    const { code, stderr } = await failingStart(GATEWAY, {
      HOST: '0.0.0.0',
      OIDC_LOCAL_PROVIDER: 'true',
      AUTH_PUBLIC_KEYS: publicKeyPem(),
      DATA_DIR: dataDir,
      PORT: '0',
    });
    assert.equal(code, 78);
    assert.match(stderr, /OIDC_LOCAL_PROVIDER may only run when HOST is a loopback address/);
  });

  it('with HOST=0.0.0.0 and a real identity provider the gateway serves, without the demo token endpoint', async () => {
    const gateway = await startGatewayProcess({
      HOST: '0.0.0.0',
      AUTH_PUBLIC_KEYS: publicKeyPem(),
      DATA_DIR: dataDir,
      DEMO_DATA: 'false',
    });
    try {
      const tokens = await fetch(`${gateway.url}/v1/dev/tokens`);
      assert.notEqual(tokens.status, 200);
      assert.ok([401, 404].includes(tokens.status), `status ${tokens.status}`);
      const jwks = await fetch(`${gateway.url}/.well-known/jwks.json`);
      assert.notEqual(jwks.status, 200);
      const login = await fetch(`${gateway.url}/oidc/.well-known/openid-configuration`);
      assert.notEqual(login.status, 200);
    } finally {
      await gateway.stop();
    }
  });

  it('docker/compose.yaml runs every service without the local issuer', async () => {
    const compose = parse(await readFile(join(REPO_ROOT, 'docker/compose.yaml'), 'utf8'), {
      merge: true,
    }) as {
      services: Record<string, { environment?: Record<string, string | number | boolean | null> }>;
    };
    for (const [name, service] of Object.entries(compose.services)) {
      const value = String(service.environment?.['AUTH_LOCAL_ISSUER'] ?? 'false').toLowerCase();
      assert.ok(!['true', '1', 'yes', 'on'].includes(value), `${name} turns AUTH_LOCAL_ISSUER on`);
      assert.notEqual(
        String(service.environment?.['OIDC_LOCAL_PROVIDER'] ?? 'false').toLowerCase(),
        'true',
        `${name} turns OIDC_LOCAL_PROVIDER on`,
      );
    }
    const dockerfile = await readFile(join(REPO_ROOT, 'docker/Dockerfile'), 'utf8');
    assert.doesNotMatch(dockerfile, /AUTH_LOCAL_ISSUER=(true|1|yes|on)/i);
  });
});

function publicKeyPem(): string {
  const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return publicKey.export({ type: 'spki', format: 'pem' }).toString();
}
