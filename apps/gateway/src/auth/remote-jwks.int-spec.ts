import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  authSettings,
  EXPECTED_ACTORS,
  jwksJson,
  NOW,
  rejectsWithCode,
  signToken,
  testKey,
  type TestKey,
} from './auth.test-support.js';
import { DEMO_ACTOR_CLAIMS } from './demo-actors.js';
import { JwtVerifier } from './jwt-verifier.js';

/** Integration tier: serves a JWKS over HTTP on 127.0.0.1. */

const at = { currentDate: NOW };

describe('JwtVerifier with a remote JWKS (AUTH_JWKS_URL)', () => {
  let server: Server;
  let jwksUrl: string;
  let requests = 0;
  let es256: TestKey;
  let rs256: TestKey;
  let ed25519: TestKey;
  let stranger: TestKey;

  beforeAll(async () => {
    es256 = await testKey('ES256', 'idp-es256');
    rs256 = await testKey('RS256', 'idp-rs256');
    ed25519 = await testKey('EdDSA', 'idp-ed25519');
    stranger = await testKey('ES256', 'stranger');
    server = createServer((request, response) => {
      requests += 1;
      if (request.url === '/jwks') {
        response.writeHead(200, { 'content-type': 'application/json' }).end(jwksJson(es256, rs256));
      } else {
        response.writeHead(500).end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('verifies tokens against keys fetched from AUTH_JWKS_URL, fetching once', async () => {
    const remote = await JwtVerifier.create(authSettings({ jwksUrl }));
    const before = requests;
    expect(await remote.verifyActor(await signToken(rs256, DEMO_ACTOR_CLAIMS.school_staff), at)).toEqual(
      EXPECTED_ACTORS.school_staff,
    );
    expect(await remote.verifyActor(await signToken(es256, DEMO_ACTOR_CLAIMS.auditor), at)).toEqual(
      EXPECTED_ACTORS.auditor,
    );
    assert.equal(requests - before, 1);
  });

  it('refuses a token whose kid is not published: TOKEN_INVALID', async () => {
    const remote = await JwtVerifier.create(authSettings({ jwksUrl }));
    await rejectsWithCode(
      remote.verify(await signToken(stranger, DEMO_ACTOR_CLAIMS.auditor), at),
      'TOKEN_INVALID',
    );
  });

  it('reports an unreachable or failing JWKS endpoint as AUTH_KEYS_UNAVAILABLE (retryable)', async () => {
    const failing = await JwtVerifier.create(authSettings({ jwksUrl: jwksUrl.replace('/jwks', '/broken') }));
    const error = await rejectsWithCode(
      failing.verify(await signToken(es256, DEMO_ACTOR_CLAIMS.auditor), at),
      'AUTH_KEYS_UNAVAILABLE',
      'unavailable',
    );
    assert.equal(error.retryable, true);

    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const unreachable = await JwtVerifier.create(authSettings({ jwksUrl: `http://127.0.0.1:${port}/jwks` }));
    await rejectsWithCode(
      unreachable.verify(await signToken(es256, DEMO_ACTOR_CLAIMS.auditor), at),
      'AUTH_KEYS_UNAVAILABLE',
      'unavailable',
    );
  });

  it('still verifies with static keys when the remote JWKS is down', async () => {
    const mixed = await JwtVerifier.create(
      authSettings({ jwksUrl: jwksUrl.replace('/jwks', '/broken'), staticKeys: jwksJson(ed25519) }),
    );
    assert.equal(
      (await mixed.verifyActor(await signToken(ed25519, DEMO_ACTOR_CLAIMS.auditor), at)).role,
      'auditor',
    );
  });
});
