import assert from 'node:assert/strict';
import { X509Certificate, createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { describe, it } from '@jest/globals';
import { readCertificateBundle } from './index.js';
import { fixture, fixtureBytes } from './duo.test-support.js';

describe('readCertificateBundle (a sending party’s upload)', () => {
  it('opens PKCS#12 with its password: the certificate facts, the OIN, and the chain with the leaf first', () => {
    const read = readCertificateBundle({
      format: 'PKCS12',
      pkcs12: fixtureBytes('sender.p12'),
      password: 'test-wachtwoord',
    });
    assert.ok(read.ok, JSON.stringify(!read.ok && read.issues));
    const { certificate, material } = read.value;
    const leaf = new X509Certificate(fixture('sender.cert.pem'));
    assert.equal(certificate.subjectOin, '00000001999999990000');
    assert.equal(certificate.fingerprint, leaf.fingerprint256);
    assert.equal(certificate.notAfter, new Date(leaf.validTo).toISOString());
    assert.match(certificate.subject, /O=Voorbeeldbestuur \(test\)/);
    assert.ok(material.certPem.startsWith(leaf.toString()), 'the leaf first');
    assert.ok(
      material.certPem.includes(new X509Certificate(fixture('ca.cert.pem')).toString()),
      'then the CA',
    );
    assert.ok(leaf.checkPrivateKey(createPrivateKey(material.keyPem)));
    assert.match(material.keyPem, /^-----BEGIN PRIVATE KEY-----/);
  });

  it('reads PEM certificate and key', () => {
    const read = readCertificateBundle({
      format: 'PEM',
      certPem: fixture('sender.cert.pem'),
      keyPem: fixture('sender.key.pem'),
    });
    assert.ok(read.ok);
    assert.equal(read.value.certificate.subjectOin, '00000001999999990000');
  });

  it('finds the leaf wherever it sits in a PEM chain', () => {
    const read = readCertificateBundle({
      format: 'PEM',
      certPem: fixture('ca.cert.pem') + fixture('sender.cert.pem'),
      keyPem: fixture('sender.key.pem'),
    });
    assert.ok(read.ok);
    assert.ok(
      read.value.material.certPem.startsWith(new X509Certificate(fixture('sender.cert.pem')).toString()),
    );
  });

  const refused: [string, Parameters<typeof readCertificateBundle>[0], string][] = [
    [
      'a wrong password',
      { format: 'PKCS12', pkcs12: fixtureBytes('sender.p12'), password: 'fout' },
      'PKCS12_PASSWORD',
    ],
    [
      'something that is not PKCS#12',
      { format: 'PKCS12', pkcs12: Buffer.from('geen pfx'), password: 'x' },
      'PKCS12_UNREADABLE',
    ],
    [
      'a key of another certificate',
      { format: 'PEM', certPem: fixture('sender.cert.pem'), keyPem: fixture('other.key.pem') },
      'KEY_CERTIFICATE_MISMATCH',
    ],
    [
      'no certificate',
      { format: 'PEM', certPem: 'geen certificaat', keyPem: fixture('sender.key.pem') },
      'CERTIFICATE_UNREADABLE',
    ],
    [
      'an unreadable key',
      { format: 'PEM', certPem: fixture('sender.cert.pem'), keyPem: 'geen sleutel' },
      'KEY_UNREADABLE',
    ],
    [
      'an EC key (rsa-sha256 needs RSA)',
      {
        format: 'PEM',
        certPem: fixture('sender.cert.pem'),
        keyPem: generateKeyPairSync('ec', { namedCurve: 'P-256' })
          .privateKey.export({ type: 'pkcs8', format: 'pem' })
          .toString(),
      },
      'KEY_NOT_RSA',
    ],
  ];
  for (const [name, upload, code] of refused)
    it(`refuses ${name} with ${code}, never echoing the material or the password`, () => {
      const read = readCertificateBundle(upload);
      assert.equal(read.ok, false);
      assert.ok(!read.ok);
      assert.equal(read.issues[0]?.code, code);
      const said = JSON.stringify(read.issues);
      assert.ok(!said.includes('fout') && !said.includes('PRIVATE KEY') && !said.includes('geen sleutel'));
    });
});
