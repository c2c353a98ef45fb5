import assert from 'node:assert/strict';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { describe, it } from '@jest/globals';
import { createDevPki } from './dev-pki.js';

describe('createDevPki', () => {
  it('makes a CA, a localhost server certificate and a school client certificate with its OIN', async () => {
    const pki = await createDevPki({ oin: '00000001234567890000', organisation: 'Het Lyceum' });
    const ca = new X509Certificate(pki.ca.cert);
    const server = new X509Certificate(pki.server.cert);
    const client = new X509Certificate(pki.client.cert);
    assert.equal(ca.ca, true);
    assert.ok(server.verify(ca.publicKey) && client.verify(ca.publicKey));
    assert.ok(server.checkHost('localhost') && server.checkIP('127.0.0.1'));
    assert.match(client.subject, /serialNumber=00000001234567890000/);
    assert.match(client.subject, /O=Het Lyceum/);
    assert.equal(pki.clientOin, '00000001234567890000');
    for (const pem of [pki.ca.key, pki.server.key, pki.client.key, pki.duo.key]) {
      assert.match(pem, /^-----BEGIN PRIVATE KEY-----/);
      // DUO's WUS profile signs with rsa-sha256, with the same key as TLS.
      assert.equal(createPrivateKey(pem).asymmetricKeyType, 'rsa');
    }
    assert.ok(client.checkPrivateKey(createPrivateKey(pki.client.key)));
    const duo = new X509Certificate(pki.duo.cert);
    assert.ok(duo.verify(ca.publicKey));
    assert.match(duo.subject, /serialNumber=00000001800866472000/);
    assert.equal(pki.duoOin, '00000001800866472000');
  });

  it('issues more clients from the same CA, and foreign clients from another CA', async () => {
    const pki = await createDevPki();
    const ca = new X509Certificate(pki.ca.cert);
    const second = new X509Certificate((await pki.issueClient({ oin: '00000001000000000001' })).cert);
    const foreign = new X509Certificate((await pki.foreignClient()).cert);
    assert.ok(second.verify(ca.publicKey));
    assert.match(second.subject, /serialNumber=00000001000000000001/);
    assert.equal(foreign.verify(ca.publicKey), false);
    assert.notEqual(foreign.issuer, ca.subject);
  });

  it('issues a client with its own validity (an expired certificate for tests)', async () => {
    const pki = await createDevPki();
    const expired = new X509Certificate(
      (
        await pki.issueClient({
          notBefore: new Date('2024-01-01T00:00:00Z'),
          notAfter: new Date('2025-01-01T00:00:00Z'),
        })
      ).cert,
    );
    assert.equal(new Date(expired.validTo).toISOString(), '2025-01-01T00:00:00.000Z');
  });

  it('refuses an OIN that is not 20 digits', async () => {
    await assert.rejects(createDevPki({ oin: '123' }), TypeError);
  });
});
