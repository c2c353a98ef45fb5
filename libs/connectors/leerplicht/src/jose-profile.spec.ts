import assert from 'node:assert/strict';
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { type JWK, decodeProtectedHeader, exportJWK, generateKeyPair } from 'jose';
import { DomainError } from '#domain';
import {
  LEERPLICHT_JWT_TYPE,
  decryptAndVerify,
  encryptForRecipient,
  signLeerplichtReport,
} from './jose-profile.js';
import { type LeerplichtReportV1, buildLeerplichtReport } from './report.js';
import { FULL_PAYLOAD, context, released } from './report.spec.js';

const signer = await generateKeyPair('ES256', { extractable: true });
const signerPublic = await exportJWK(signer.publicKey);
const signerPrivate = await exportJWK(signer.privateKey);
const other = await generateKeyPair('ES256', { extractable: true });
const recipient = await generateKeyPair('ECDH-ES+A256KW', { crv: 'P-256', extractable: true });
const recipientPublic: JWK = { ...(await exportJWK(recipient.publicKey)), kid: '0344-key-1' };
const stranger = await generateKeyPair('ECDH-ES+A256KW', { crv: 'P-256', extractable: true });

const report = buildLeerplichtReport(context(), released(FULL_PAYLOAD));

async function sealed(r: LeerplichtReportV1 = report, jti = 'key-1'): Promise<string> {
  const jws = await signLeerplichtReport(r, { privateJwk: signerPrivate, kid: 'ketenpoort-1' }, jti);
  return encryptForRecipient(jws, recipientPublic);
}

async function rejectsWith(promise: Promise<unknown>, code: string): Promise<void> {
  await assert.rejects(promise, (error: unknown) => error instanceof DomainError && error.code === code);
}

describe('leerplicht JOSE profile', () => {
  it('signs (ES256, typ, kid, iat, jti) and encrypts (ECDH-ES+A256KW, A256GCM, cty JWT, kid) round trip', async () => {
    const jwe = await sealed();
    const header = decodeProtectedHeader(jwe);
    assert.equal(header.alg, 'ECDH-ES+A256KW');
    assert.equal(header.enc, 'A256GCM');
    assert.equal(header.cty, 'JWT');
    assert.equal(header.kid, '0344-key-1');
    const jws = await signLeerplichtReport(report, { key: signer.privateKey, kid: 'ketenpoort-1' }, 'key-1');
    expect(decodeProtectedHeader(jws)).toEqual({
      alg: 'ES256',
      typ: LEERPLICHT_JWT_TYPE,
      kid: 'ketenpoort-1',
    });

    const verified = await decryptAndVerify(jwe, recipient.privateKey, signerPublic);
    expect(verified.report).toEqual(report);
    assert.equal(verified.jti, 'key-1');
    assert.equal(verified.iat, Date.parse(report.issuedAt) / 1000);
    assert.equal(verified.signerKid, 'ketenpoort-1');
    assert.equal(verified.recipientKid, '0344-key-1');
  });

  it('uses the JWK thumbprint as kid when the recipient key has none, and finds the signer by kid', async () => {
    const { kid: _kid, ...bare } = recipientPublic;
    const jws = await signLeerplichtReport(report, { privateJwk: signerPrivate, kid: 'k-2' }, 'j');
    const jwe = await encryptForRecipient(jws, bare);
    assert.match(String(decodeProtectedHeader(jwe).kid), /^[A-Za-z0-9_-]{43}$/);
    const verified = await decryptAndVerify(jwe, recipient.privateKey, (kid) =>
      Promise.resolve(kid === 'k-2' ? signerPublic : null),
    );
    assert.equal(verified.jti, 'j');
    await rejectsWith(
      decryptAndVerify(jwe, recipient.privateKey, () => Promise.resolve(null)),
      'LEERPLICHT_SIGNATURE_INVALID',
    );
  });

  it('refuses the wrong recipient key (LEERPLICHT_DECRYPTION_FAILED)', async () => {
    await rejectsWith(
      decryptAndVerify(await sealed(), stranger.privateKey, signerPublic),
      'LEERPLICHT_DECRYPTION_FAILED',
    );
  });

  it('refuses a tampered JWE (LEERPLICHT_DECRYPTION_FAILED) and garbage (LEERPLICHT_JWE_INVALID)', async () => {
    const parts = (await sealed()).split('.');
    const cipher = parts[3];
    parts[3] = (cipher[0] === 'A' ? 'B' : 'A') + cipher.slice(1);
    await rejectsWith(
      decryptAndVerify(parts.join('.'), recipient.privateKey, signerPublic),
      'LEERPLICHT_DECRYPTION_FAILED',
    );
    await rejectsWith(
      decryptAndVerify('not.a.jwe', recipient.privateKey, signerPublic),
      'LEERPLICHT_JWE_INVALID',
    );
  });

  it('refuses a report signed by another key (LEERPLICHT_SIGNATURE_INVALID)', async () => {
    const otherPublic = await exportJWK(other.publicKey);
    await rejectsWith(
      decryptAndVerify(await sealed(), recipient.privateKey, otherPublic),
      'LEERPLICHT_SIGNATURE_INVALID',
    );
  });

  it('refuses a private key as recipient key and an unusable signing key (LEERPLICHT_KEY_INVALID)', async () => {
    await rejectsWith(
      encryptForRecipient('a.b.c', await exportJWK(recipient.privateKey)),
      'LEERPLICHT_KEY_INVALID',
    );
    await rejectsWith(
      signLeerplichtReport(
        report,
        { privateJwk: { kty: 'EC', crv: 'P-256', x: 'AA', y: 'AA', d: 'AA' }, kid: 'k' },
        'j',
      ),
      'LEERPLICHT_KEY_INVALID',
    );
  });

  it('property: build → sign → encrypt → decrypt → verify gives back the same report and jti', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          name: fc.string({ minLength: 1, maxLength: 30 }),
          hours: fc.double({ min: 0, max: 500, noNaN: true }),
          perDay: fc.array(
            fc.record({
              date: fc
                .date({ min: new Date('2020-01-01'), max: new Date('2030-12-31'), noInvalidDate: true })
                .map((d) => d.toISOString().slice(0, 10)),
              lessonHours: fc.uniqueArray(fc.integer({ min: 1, max: 12 }), { maxLength: 12 }),
            }),
            { maxLength: 5 },
          ),
          reason: fc.string({ maxLength: 200 }),
        }),
        fc.string({ minLength: 1, maxLength: 80 }),
        async (v, jti) => {
          const r = buildLeerplichtReport(
            context({ idempotencyKey: jti }),
            released({
              'pupil.name': v.name,
              'absence.hours': v.hours,
              'absence.perDay': v.perDay,
              'report.suspectedReason': v.reason,
            }),
          );
          const verified = await decryptAndVerify(await sealed(r, jti), recipient.privateKey, signerPublic);
          expect(verified.report).toEqual(JSON.parse(JSON.stringify(r)));
          assert.equal(verified.jti, jti);
        },
      ),
      { numRuns: 25 },
    );
  });
});
