import assert from 'node:assert/strict';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { ConfigurationError } from '#config';
import { ROLES } from '#domain';
import {
  base64url,
  errors,
  exportJWK,
  generateKeyPair,
  generateSecret,
  SignJWT,
  type JSONWebKeySet,
} from 'jose';
import {
  authSettings,
  EXPECTED_ACTORS,
  jwksJson,
  NOW,
  NOW_SECONDS,
  rejectsWithCode,
  signToken,
  testKey,
  TEST_AUDIENCE,
  TEST_ISSUER,
  type TestKey,
} from './auth.test-support.js';
import { DEMO_ACTOR_CLAIMS } from './demo-actors.js';
import { CLOCK_TOLERANCE_SECONDS, JwtVerifier, mapJoseError } from './jwt-verifier.js';

const at = { currentDate: NOW };

describe('JwtVerifier', () => {
  let es256: TestKey;
  let rs256: TestKey;
  let ed25519: TestKey;
  let stranger: TestKey;
  let verifier: JwtVerifier;

  beforeAll(async () => {
    es256 = await testKey('ES256', 'idp-es256');
    rs256 = await testKey('RS256', 'idp-rs256');
    ed25519 = await testKey('EdDSA', 'idp-ed25519');
    stranger = await testKey('ES256', 'stranger');
    verifier = await JwtVerifier.create(authSettings({ staticKeys: jwksJson(es256, rs256, ed25519) }));
  });

  describe('accepts', () => {
    for (const role of ROLES) {
      it(`a valid token for ${role} and maps it to the right Actor`, async () => {
        const token = await signToken(es256, DEMO_ACTOR_CLAIMS[role]);
        const { actor, payload } = await verifier.verify(token, at);
        expect(actor).toEqual(EXPECTED_ACTORS[role]);
        assert.equal(payload.iss, TEST_ISSUER);
      });
    }

    it('tokens signed with every allowed algorithm (ES256, RS256, EdDSA)', async () => {
      for (const key of [es256, rs256, ed25519]) {
        const actor = await verifier.verifyActor(await signToken(key, DEMO_ACTOR_CLAIMS.auditor), at);
        expect(actor).toEqual(EXPECTED_ACTORS.auditor); // key.alg
      }
    });

    it('a token that expired within the clock tolerance', async () => {
      const token = await signToken(es256, DEMO_ACTOR_CLAIMS.auditor, {
        exp: NOW_SECONDS - CLOCK_TOLERANCE_SECONDS + 5,
      });
      assert.equal((await verifier.verifyActor(token, at)).role, 'auditor');
    });

    it('an audience list that contains the gateway audience', async () => {
      const token = await signToken(es256, DEMO_ACTOR_CLAIMS.auditor, { aud: ['other-api', TEST_AUDIENCE] });
      assert.equal((await verifier.verifyActor(token, at)).role, 'auditor');
    });

    it('a token without kid when exactly one key fits its algorithm', async () => {
      const token = await signToken(es256, DEMO_ACTOR_CLAIMS.auditor, { kid: null });
      assert.equal((await verifier.verifyActor(token, at)).role, 'auditor');
    });
  });

  describe('remembers a verified token for a few minutes', () => {
    it('answers the same actor again without a new signature check, until the token expires', async () => {
      const exp = NOW_SECONDS + 600;
      const token = await signToken(es256, DEMO_ACTOR_CLAIMS.auditor, { exp });
      const first = await verifier.verify(token, at);
      const again = await verifier.verify(token, at);
      assert.equal(again, first, 'the remembered result');
      const later = { currentDate: new Date((exp + CLOCK_TOLERANCE_SECONDS + 1) * 1000) };
      await rejectsWithCode(verifier.verify(token, later), 'TOKEN_EXPIRED', 'unauthenticated');
    });

    it('checks a remembered token again after five minutes (a key withdrawn from the JWKS stops working)', async () => {
      const token = await signToken(es256, DEMO_ACTOR_CLAIMS.auditor, { exp: NOW_SECONDS + 3600 });
      const first = await verifier.verify(token, at);
      const after = { currentDate: new Date(NOW.getTime() + 5 * 60_000 + 1) };
      const checked = await verifier.verify(token, after);
      assert.notEqual(checked, first, 'verified anew');
      expect(checked.actor).toEqual(first.actor);
    });

    it('never remembers a refused token', async () => {
      const token = await signToken(stranger, DEMO_ACTOR_CLAIMS.auditor);
      await rejectsWithCode(verifier.verify(token, at), 'TOKEN_INVALID', 'unauthenticated');
      await rejectsWithCode(verifier.verify(token, at), 'TOKEN_INVALID', 'unauthenticated');
    });
  });

  describe('refuses', () => {
    it('an expired token: TOKEN_EXPIRED', async () => {
      const token = await signToken(es256, DEMO_ACTOR_CLAIMS.auditor, {
        exp: NOW_SECONDS - CLOCK_TOLERANCE_SECONDS - 5,
      });
      await rejectsWithCode(verifier.verify(token, at), 'TOKEN_EXPIRED', 'unauthenticated');
    });

    it('a token used before its nbf: TOKEN_NOT_YET_VALID', async () => {
      const token = await signToken(es256, DEMO_ACTOR_CLAIMS.auditor, {
        nbf: NOW_SECONDS + CLOCK_TOLERANCE_SECONDS + 60,
      });
      await rejectsWithCode(verifier.verify(token, at), 'TOKEN_NOT_YET_VALID', 'unauthenticated');
    });

    it('a token for another audience: TOKEN_AUDIENCE', async () => {
      const token = await signToken(es256, DEMO_ACTOR_CLAIMS.auditor, { aud: 'some-other-api' });
      await rejectsWithCode(verifier.verify(token, at), 'TOKEN_AUDIENCE', 'unauthenticated');
    });

    it('a token without audience: TOKEN_AUDIENCE', async () => {
      const token = await signToken(es256, DEMO_ACTOR_CLAIMS.auditor, { aud: null });
      await rejectsWithCode(verifier.verify(token, at), 'TOKEN_AUDIENCE', 'unauthenticated');
    });

    it('a token from another issuer: TOKEN_ISSUER', async () => {
      const token = await signToken(es256, DEMO_ACTOR_CLAIMS.auditor, { iss: 'https://evil.test' });
      await rejectsWithCode(verifier.verify(token, at), 'TOKEN_ISSUER', 'unauthenticated');
    });

    it('a token without expiry: TOKEN_CLAIMS', async () => {
      const token = await signToken(es256, DEMO_ACTOR_CLAIMS.auditor, { exp: null });
      await rejectsWithCode(verifier.verify(token, at), 'TOKEN_CLAIMS', 'unauthenticated');
    });

    it('an unsecured token (alg none, hand-crafted): TOKEN_ALGORITHM', async () => {
      const header = base64url.encode(JSON.stringify({ alg: 'none', typ: 'JWT' }));
      const payload = base64url.encode(
        JSON.stringify({
          ...DEMO_ACTOR_CLAIMS.auditor,
          iss: TEST_ISSUER,
          aud: TEST_AUDIENCE,
          exp: NOW_SECONDS + 3600,
        }),
      );
      await rejectsWithCode(
        verifier.verify(`${header}.${payload}.`, at),
        'TOKEN_ALGORITHM',
        'unauthenticated',
      );
    });

    it('alg none even when a verifier would list it: configuration refuses it', () => {
      assert.throws(
        () => new JwtVerifier(authSettings({ algorithms: ['ES256', 'none'], staticKeys: jwksJson(es256) })),
        ConfigurationError,
      );
    });

    it('an HS256 token signed with a secret: TOKEN_ALGORITHM', async () => {
      const secret = await generateSecret('HS256', { extractable: true });
      const token = await signToken(
        { alg: 'HS256', kid: 'idp-es256', privateKey: secret },
        DEMO_ACTOR_CLAIMS.auditor,
      );
      await rejectsWithCode(verifier.verify(token, at), 'TOKEN_ALGORITHM', 'unauthenticated');
    });

    it('an RS256 token when only ES256 is allowed, even with the signing key trusted: TOKEN_ALGORITHM', async () => {
      const esOnly = await JwtVerifier.create(
        authSettings({ algorithms: ['ES256'], staticKeys: jwksJson(es256, rs256) }),
      );
      const token = await signToken(rs256, DEMO_ACTOR_CLAIMS.auditor);
      await rejectsWithCode(esOnly.verify(token, at), 'TOKEN_ALGORITHM', 'unauthenticated');
    });

    it('a signature from another key under a trusted kid: TOKEN_INVALID', async () => {
      const token = await signToken(stranger, DEMO_ACTOR_CLAIMS.auditor, { kid: es256.kid });
      await rejectsWithCode(verifier.verify(token, at), 'TOKEN_INVALID', 'unauthenticated');
    });

    it('a signature from an unknown key: TOKEN_INVALID', async () => {
      const token = await signToken(stranger, DEMO_ACTOR_CLAIMS.auditor);
      await rejectsWithCode(verifier.verify(token, at), 'TOKEN_INVALID', 'unauthenticated');
      const withoutKid = await signToken(stranger, DEMO_ACTOR_CLAIMS.auditor, { kid: null });
      await rejectsWithCode(verifier.verify(withoutKid, at), 'TOKEN_INVALID', 'unauthenticated');
    });

    it('a token whose payload was altered after signing: TOKEN_INVALID', async () => {
      const [header, , signature] = (await signToken(es256, DEMO_ACTOR_CLAIMS.auditor)).split('.');
      const forged = base64url.encode(
        JSON.stringify({
          ...DEMO_ACTOR_CLAIMS.privacy_officer,
          iss: TEST_ISSUER,
          aud: TEST_AUDIENCE,
          exp: NOW_SECONDS + 3600,
        }),
      );
      await rejectsWithCode(
        verifier.verify(`${header}.${forged}.${signature}`, at),
        'TOKEN_INVALID',
        'unauthenticated',
      );
    });

    for (const [name, token] of [
      ['an empty string', ''],
      ['a word', 'not-a-jwt'],
      ['three empty parts', '..'],
      ['garbage parts', 'a.b.c'],
      ['four parts', 'eyJhbGciOiJFUzI1NiJ9.e30.sig.extra'],
      ['a header that is not JSON', `${base64url.encode('{nope')}.${base64url.encode('{}')}.c2ln`],
      ['a huge token', 'a'.repeat(20_000)],
    ] as const) {
      it(`a malformed token (${name}): TOKEN_INVALID`, async () => {
        await rejectsWithCode(verifier.verify(token, at), 'TOKEN_INVALID', 'unauthenticated');
      });
    }

    const badClaims: readonly (readonly [string, Record<string, unknown>])[] = [
      ['no sub', { role: 'auditor', board: 'BOARD-DEMO' }],
      ['an empty sub', { sub: '', role: 'auditor', board: 'BOARD-DEMO' }],
      ['no role', { sub: 'u1', board: 'BOARD-DEMO' }],
      ['an unknown role', { sub: 'u1', role: 'admin', board: 'BOARD-DEMO' }],
      ['a role that is not a string', { sub: 'u1', role: ['auditor'], board: 'BOARD-DEMO' }],
      ['school_staff without board', { sub: 'u1', role: 'school_staff', schools: ['99XX'] }],
      ['school_staff without schools', { sub: 'u1', role: 'school_staff', board: 'B1' }],
      [
        'school_staff with an empty school list',
        { sub: 'u1', role: 'school_staff', board: 'B1', schools: [] },
      ],
      [
        'school_staff with a malformed BRIN',
        { sub: 'u1', role: 'school_staff', board: 'B1', schools: ['99XX', '9X'] },
      ],
      [
        'school_staff with schools as a string',
        { sub: 'u1', role: 'school_staff', board: 'B1', schools: '99XX' },
      ],
      [
        'integration_client without system',
        { sub: 'c1', role: 'integration_client', board: 'B1', school: '99XX' },
      ],
      [
        'integration_client without school',
        { sub: 'c1', role: 'integration_client', board: 'B1', system: 'magister' },
      ],
      [
        'integration_client with a malformed school',
        { sub: 'c1', role: 'integration_client', board: 'B1', school: 'x', system: 'm' },
      ],
      ['privacy_officer without board', { sub: 'p1', role: 'privacy_officer' }],
      [
        'auditor with a board that is not an identifier',
        { sub: 'a1', role: 'auditor', board: 'BOARD DEMO; DROP' },
      ],
      ['leerplicht_officer without municipalities', { sub: 'l1', role: 'leerplicht_officer' }],
      [
        'leerplicht_officer with a 3-digit code',
        { sub: 'l1', role: 'leerplicht_officer', municipalities: ['344'] },
      ],
      [
        'leerplicht_officer with a numeric code',
        { sub: 'l1', role: 'leerplicht_officer', municipalities: [344] },
      ],
      [
        'leerplicht_officer with a 5-digit code',
        { sub: 'l1', role: 'leerplicht_officer', municipalities: ['0344', '03440'] },
      ],
      ['doorstroompunt_officer without region', { sub: 'd1', role: 'doorstroompunt_officer' }],
      [
        'doorstroompunt_officer with an empty region',
        { sub: 'd1', role: 'doorstroompunt_officer', region: '' },
      ],
    ];
    for (const [name, claims] of badClaims) {
      it(`claims that do not fit (${name}): TOKEN_CLAIMS`, async () => {
        const token = await signToken(es256, claims);
        await rejectsWithCode(verifier.verify(token, at), 'TOKEN_CLAIMS', 'unauthenticated');
      });
    }

    it('without putting the token or claim values in the error message', async () => {
      const claims = {
        sub: 'jan.jansen@school.example',
        role: 'leerplicht_officer',
        municipalities: ['Utrecht'],
      };
      const token = await signToken(es256, claims);
      const error = await rejectsWithCode(verifier.verify(token, at), 'TOKEN_CLAIMS');
      assert.ok(!error.message.includes('jan.jansen'));
      assert.ok(!error.message.includes('Utrecht'));
      assert.ok(!error.message.includes(token));
      assert.match(error.message, /municipalities/);
    });
  });

  describe('static keys', () => {
    it('from a JWKS JSON document', async () => {
      const fromJwks = await JwtVerifier.create(authSettings({ staticKeys: jwksJson(rs256) }));
      const actor = await fromJwks.verifyActor(await signToken(rs256, DEMO_ACTOR_CLAIMS.school_staff), at);
      expect(actor).toEqual(EXPECTED_ACTORS.school_staff);
    });

    it('from a single JWK in JSON', async () => {
      const fromJwk = await JwtVerifier.create(authSettings({ staticKeys: JSON.stringify(es256.publicJwk) }));
      assert.equal(
        (await fromJwk.verifyActor(await signToken(es256, DEMO_ACTOR_CLAIMS.auditor), at)).role,
        'auditor',
      );
    });

    it('from a JWKS with several kid-less keys for one algorithm, trying each', async () => {
      const withoutKid = (key: TestKey) => {
        const { kid: _kid, ...jwk } = key.publicJwk;
        return jwk;
      };
      const other = await testKey('ES256', 'other');
      const jwks = JSON.stringify({ keys: [withoutKid(other), withoutKid(es256)] });
      const multi = await JwtVerifier.create(authSettings({ staticKeys: jwks }));
      const token = await signToken(es256, DEMO_ACTOR_CLAIMS.auditor, { kid: null });
      assert.equal((await multi.verifyActor(token, at)).role, 'auditor');
      await rejectsWithCode(
        multi.verify(await signToken(stranger, DEMO_ACTOR_CLAIMS.auditor, { kid: null }), at),
        'TOKEN_INVALID',
      );
    });

    it('from a PEM SPKI public key (ES256)', async () => {
      const fromPem = await JwtVerifier.create(authSettings({ staticKeys: es256.spki }));
      const actor = await fromPem.verifyActor(
        await signToken(es256, DEMO_ACTOR_CLAIMS.leerplicht_officer),
        at,
      );
      expect(actor).toEqual(EXPECTED_ACTORS.leerplicht_officer);
      await rejectsWithCode(
        fromPem.verify(await signToken(stranger, DEMO_ACTOR_CLAIMS.auditor), at),
        'TOKEN_INVALID',
      );
    });

    it('from several PEM keys of different types, with escaped newlines as in an env var', async () => {
      const staticKeys = `${es256.spki}\n${rs256.spki}`.replace(/\n/g, '\\n');
      const fromPems = await JwtVerifier.create(authSettings({ staticKeys }));
      for (const key of [es256, rs256]) {
        const actor = await fromPems.verifyActor(
          await signToken(key, DEMO_ACTOR_CLAIMS.doorstroompunt_officer),
          at,
        );
        expect(actor).toEqual(EXPECTED_ACTORS.doorstroompunt_officer); // key.alg
      }
      await rejectsWithCode(
        fromPems.verify(await signToken(ed25519, DEMO_ACTOR_CLAIMS.auditor), at),
        'TOKEN_INVALID',
      );
    });

    it('from a PEM key still refuses an algorithm that is not allowed', async () => {
      // An RSA key with an ES256-only list can verify nothing: refused at start-up.
      await assert.rejects(
        JwtVerifier.create(authSettings({ algorithms: ['ES256'], staticKeys: rs256.spki })),
        ConfigurationError,
      );
      // The RSA key is usable for PS256, so it is accepted, yet an RS256 token under it is still refused.
      const pssOnly = await JwtVerifier.create(
        authSettings({ algorithms: ['ES256', 'PS256'], staticKeys: `${es256.spki}\n${rs256.spki}` }),
      );
      await rejectsWithCode(
        pssOnly.verify(await signToken(rs256, DEMO_ACTOR_CLAIMS.auditor), at),
        'TOKEN_ALGORITHM',
      );
    });

    for (const [name, staticKeys] of [
      ['invalid JSON', '{"keys": ['],
      ['JSON that is not a key set', '{"hello": "world"}'],
      ['text that is neither JSON nor PEM', 'just some text'],
      ['a private key in PEM', '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----'],
      ['an unknown PEM block', '-----BEGIN RSA PARAMETERS-----\nAAAA\n-----END RSA PARAMETERS-----'],
      ['a symmetric JWK', '{"keys": [{"kty": "oct", "k": "c2VjcmV0"}]}'],
    ] as const) {
      it(`refuses ${name} at start-up with a ConfigurationError`, async () => {
        await assert.rejects(JwtVerifier.create(authSettings({ staticKeys })), ConfigurationError);
      });
    }

    it('refuses a private JWK at start-up without echoing it', async () => {
      const { privateKey } = await generateKeyPair('ES256', { extractable: true });
      const privateJwk = await exportJWK(privateKey);
      const error = await JwtVerifier.create(
        authSettings({ staticKeys: JSON.stringify({ keys: [privateJwk] }) }),
      ).catch((e: unknown) => e);
      assert.ok(error instanceof ConfigurationError);
      assert.ok(!error.message.includes(String(privateJwk.d)));
    });

    it('refuses a PEM that imports under no allowed algorithm', async () => {
      const broken = '-----BEGIN PUBLIC KEY-----\nAAAAAAAA\n-----END PUBLIC KEY-----';
      await assert.rejects(JwtVerifier.create(authSettings({ staticKeys: broken })), ConfigurationError);
    });
  });

  describe('configuration', () => {
    it('needs at least one key source', () => {
      assert.throws(() => new JwtVerifier(authSettings()), ConfigurationError);
    });

    it('refuses HMAC algorithms in the allow-list', () => {
      assert.throws(
        () => new JwtVerifier(authSettings({ algorithms: ['HS256'], staticKeys: jwksJson(es256) })),
        ConfigurationError,
      );
    });

    it('refuses an empty allow-list', () => {
      assert.throws(
        () => new JwtVerifier(authSettings({ algorithms: [], staticKeys: jwksJson(es256) })),
        ConfigurationError,
      );
    });

    it('needs ES256 allowed when the local issuer is a key source', () => {
      const localKeys = { publicJwks: () => JSON.parse(jwksJson(es256)) as JSONWebKeySet };
      assert.throws(
        () => new JwtVerifier(authSettings({ algorithms: ['RS256'] }), localKeys),
        ConfigurationError,
      );
      assert.ok(new JwtVerifier(authSettings({ algorithms: ['ES256'] }), localKeys) instanceof JwtVerifier);
    });
  });

  describe('mapJoseError', () => {
    it('maps jose errors to stable codes', () => {
      const payload = {};
      const cases: readonly (readonly [Error, string])[] = [
        [new errors.JWTExpired('x', payload, 'exp', 'check_failed'), 'TOKEN_EXPIRED'],
        [new errors.JOSEAlgNotAllowed('x'), 'TOKEN_ALGORITHM'],
        [new errors.JWTClaimValidationFailed('x', payload, 'aud', 'check_failed'), 'TOKEN_AUDIENCE'],
        [new errors.JWTClaimValidationFailed('x', payload, 'iss', 'check_failed'), 'TOKEN_ISSUER'],
        [new errors.JWTClaimValidationFailed('x', payload, 'nbf', 'check_failed'), 'TOKEN_NOT_YET_VALID'],
        [new errors.JWTClaimValidationFailed('x', payload, 'nbf', 'invalid'), 'TOKEN_CLAIMS'],
        [new errors.JWSSignatureVerificationFailed(), 'TOKEN_INVALID'],
        [new errors.JWSInvalid('x'), 'TOKEN_INVALID'],
        [new TypeError('x'), 'TOKEN_INVALID'],
      ];
      for (const [error, code] of cases) {
        assert.equal((mapJoseError(error) as { code?: string }).code, code, error.constructor.name);
      }
    });
  });

  it('uses the real clock when no currentDate is given', async () => {
    const now = Math.floor(Date.now() / 1000);
    const fresh = await signToken(es256, DEMO_ACTOR_CLAIMS.auditor, { iat: now, exp: now + 600 });
    assert.equal((await verifier.verifyActor(fresh)).role, 'auditor');
    const stale = await new SignJWT({ ...DEMO_ACTOR_CLAIMS.auditor })
      .setProtectedHeader({ alg: 'ES256', kid: es256.kid })
      .setIssuer(TEST_ISSUER)
      .setAudience(TEST_AUDIENCE)
      .setExpirationTime(now - 3600)
      .sign(es256.privateKey);
    await rejectsWithCode(verifier.verify(stale), 'TOKEN_EXPIRED');
  });
});
