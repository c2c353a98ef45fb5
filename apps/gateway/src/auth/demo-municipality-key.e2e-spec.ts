import assert from 'node:assert/strict';
import { get } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type TestGateway, startTestGateway } from '../gateway.test-support.js';
import { DEMO_HUMAN_MUNICIPALITY } from './demo-actors.js';
import { demoKeyOffer, openDemoMunicipalityKey } from './demo-municipality-key.js';

/**
 * The demo municipality a person handles (issue 14, ADR 0023): its private key is handed out by the local demo
 * sign-in in embedded mode only, so the demo officer can read its reports in the console; production never.
 */
describe('the demo municipality’s key on the local demo sign-in', () => {
  let gateway: TestGateway;
  let base: string;
  const keyUrl = () => `${base}/oidc/demo-keys/${DEMO_HUMAN_MUNICIPALITY}.jwk.json`;

  beforeAll(async () => {
    gateway = await startTestGateway();
    await gateway.app.listen(0, '127.0.0.1');
    const address = gateway.app.getHttpServer().address() as { port: number };
    base = `http://localhost:${address.port}`;
  });
  afterAll(async () => {
    await gateway.stop();
  });

  it('is offered in embedded mode once the start script made it, and never in production mode', async () => {
    expect(demoKeyOffer({ mode: 'production', dataDir: gateway.infra.settings.dataDir })).toEqual(null);
    if (gateway.infra.settings.mode === 'production') {
      // The suites also run on PostgreSQL (production mode): there a key file in DATA_DIR is never handed out.
      await openDemoMunicipalityKey(gateway.infra.settings.dataDir);
      const refused = await fetch(keyUrl());
      assert.equal(refused.status, 404);
      assert.doesNotMatch(await refused.text(), /"d"\s*:/);
      return;
    }
    const missing = await fetch(keyUrl());
    assert.equal(missing.status, 404);
    assert.match(await missing.text(), /nog geen demosleutel/);
    const made = await openDemoMunicipalityKey(gateway.infra.settings.dataDir);
    const served = await fetch(keyUrl());
    assert.equal(served.status, 200);
    assert.equal(served.headers.get('cache-control'), 'no-store');
    assert.match(served.headers.get('content-disposition') ?? '', /attachment/);
    const jwk = (await served.json()) as { d?: string; crv?: string };
    assert.equal(jwk.d, made.privateJwk.d);
    assert.equal(jwk.crv, 'P-256');
    assert.equal('d' in made.publicJwk, false, 'the routing table gets the public half only');
    // Another code is not a key file.
    assert.equal((await fetch(`${base}/oidc/demo-keys/0344.jwk.json`)).status, 404);
  });

  it('is served to loopback only, like the rest of the demo sign-in', async () => {
    // fetch sets Host itself; node:http sends the one given, as a request to a public name would arrive.
    const status = await new Promise<number>((resolve, reject) => {
      get(keyUrl(), { headers: { host: 'ketenpoort.example' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      }).on('error', reject);
    });
    assert.equal(status, 403);
  });
});
