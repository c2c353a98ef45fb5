import assert from 'node:assert/strict';
import { readFile, stat, writeFile, chmod } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { ConfigurationError, type Settings } from '#config';
import { ROLES, ValidationError } from '#domain';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { authSettings, NOW, NOW_SECONDS, rejectsWithCode, withTempDir } from './auth.test-support.js';
import {
  DEMO_ACTOR_CLAIMS,
  DEMO_BOARD,
  DEMO_MUNICIPALITY,
  DEMO_HUMAN_MUNICIPALITY,
  DEMO_REGION,
  DEMO_SCHOOL,
  DEMO_SCHOOL_B,
  DEMO_SYSTEM,
} from './demo-actors.js';
import { JwtVerifier } from './jwt-verifier.js';
import { DEFAULT_TOKEN_TTL_SECONDS, LOCAL_ISSUER_KEY_FILE, LocalIssuer } from './local-issuer.js';

const settingsIn = (dataDir: string): Pick<Settings, 'auth' | 'dataDir'> => ({
  dataDir,
  auth: authSettings({ issuer: 'ketenpoort-local', localIssuer: true }),
});

describe('LocalIssuer', () => {
  it('creates its key once (mode 0600) and reuses it across instances on the same data dir', async () => {
    await withTempDir(async (dir) => {
      const settings = settingsIn(join(dir, 'nested', 'data'));
      const first = await LocalIssuer.open(settings);
      const keyFile = join(settings.dataDir, LOCAL_ISSUER_KEY_FILE);
      assert.equal(first.keyFile, keyFile);
      if (process.platform !== 'win32') assert.equal((await stat(keyFile)).mode & 0o777, 0o600);
      const stored = JSON.parse(await readFile(keyFile, 'utf8')) as Record<string, unknown>;
      assert.equal(stored['kty'], 'EC');
      assert.equal(stored['crv'], 'P-256');
      assert.equal(typeof stored['d'], 'string');

      const token = await first.issue(DEMO_ACTOR_CLAIMS.school_staff, { now: NOW });

      const second = await LocalIssuer.open(settings);
      assert.equal(second.kid, first.kid);
      expect(second.publicJwks()).toEqual(first.publicJwks());
      assert.equal(await readFile(keyFile, 'utf8'), JSON.stringify(stored) + '\n');

      const verifier = await JwtVerifier.create(settings.auth, second);
      expect(await verifier.verifyActor(token, { currentDate: NOW })).toEqual({
        role: 'school_staff',
        subject: 'demo-school-staff',
        board: DEMO_BOARD,
        schools: [DEMO_SCHOOL, DEMO_SCHOOL_B],
      });
    });
  });

  it('agrees on one key when two processes start on an empty data dir at once', async () => {
    await withTempDir(async (dir) => {
      const issuers = await Promise.all([1, 2, 3, 4].map(() => LocalIssuer.open(settingsIn(dir))));
      assert.equal(new Set(issuers.map((issuer) => issuer.kid)).size, 1);
    });
  });

  it('tightens a key file that others can read', async () => {
    if (process.platform === 'win32') {
      assert.ok(true, 'file modes do not apply on Windows');
      return;
    }
    await withTempDir(async (dir) => {
      const issuer = await LocalIssuer.open(settingsIn(dir));
      await chmod(issuer.keyFile, 0o644);
      await LocalIssuer.open(settingsIn(dir));
      assert.equal((await stat(issuer.keyFile)).mode & 0o777, 0o600);
    });
  });

  it('publishes only the public key, with kid, alg and use', async () => {
    await withTempDir(async (dir) => {
      const issuer = await LocalIssuer.open(settingsIn(dir));
      const { keys } = issuer.publicJwks();
      assert.equal(keys.length, 1);
      const [key] = keys;
      assert.ok(key);
      expect(Object.keys(key).sort()).toEqual(['alg', 'crv', 'kid', 'kty', 'use', 'x', 'y']);
      assert.equal(key.kid, issuer.kid);
      assert.equal(key.alg, 'ES256');
      assert.equal(key.use, 'sig');
    });
  });

  it('issues ES256 tokens with kid, iss, aud, jti and an 8-hour default lifetime', async () => {
    await withTempDir(async (dir) => {
      const settings = settingsIn(dir);
      const issuer = await LocalIssuer.open(settings);
      const token = await issuer.issue(DEMO_ACTOR_CLAIMS.leerplicht_officer, { now: NOW });
      const header = decodeProtectedHeader(token);
      assert.equal(header.alg, 'ES256');
      assert.equal(header.kid, issuer.kid);
      const payload = decodeJwt(token);
      assert.equal(payload.iss, settings.auth.issuer);
      assert.equal(payload.aud, settings.auth.audience);
      assert.equal(payload.sub, 'demo-leerplicht-officer');
      assert.equal(payload['role'], 'leerplicht_officer');
      expect(payload['municipalities']).toEqual([DEMO_MUNICIPALITY]);
      assert.equal(typeof payload.jti, 'string');
      assert.equal(payload.iat, NOW_SECONDS);
      assert.equal(payload.exp, NOW_SECONDS + DEFAULT_TOKEN_TTL_SECONDS);

      const short = await issuer.issueToken(DEMO_ACTOR_CLAIMS.auditor, { now: NOW, ttlSeconds: 60 });
      assert.equal(decodeJwt(short.token).exp, NOW_SECONDS + 60);
      assert.equal(short.expiresAt, new Date((NOW_SECONDS + 60) * 1000).toISOString());

      const verifier = await JwtVerifier.create(settings.auth, issuer);
      await rejectsWithCode(
        verifier.verify(short.token, { currentDate: new Date(NOW.getTime() + 60_000 + 31_000) }),
        'TOKEN_EXPIRED',
      );
    });
  });

  it('signs only the normalised actor claims', async () => {
    await withTempDir(async (dir) => {
      const issuer = await LocalIssuer.open(settingsIn(dir));
      const claims = { ...DEMO_ACTOR_CLAIMS.auditor, admin: true, schools: ['00AA'] };
      const payload = decodeJwt(await issuer.issue(claims, { now: NOW }));
      assert.equal(payload['admin'], undefined);
      assert.equal(payload['schools'], undefined);
      assert.equal(payload['board'], DEMO_BOARD);
    });
  });

  it('gives one verifiable demo token per role with the demo scopes', async () => {
    await withTempDir(async (dir) => {
      const settings = settingsIn(dir);
      const issuer = await LocalIssuer.open(settings);
      const verifier = await JwtVerifier.create(settings.auth, issuer);
      const tokens = await issuer.demoTokens({ now: NOW });
      expect(tokens.map((t) => t.role)).toEqual([...ROLES, 'privacy_officer', 'leerplicht_officer']);
      const actors = await Promise.all(
        tokens.map((t) => verifier.verifyActor(t.token, { currentDate: NOW })),
      );
      expect(actors).toEqual([
        {
          role: 'school_staff',
          subject: 'demo-school-staff',
          board: DEMO_BOARD,
          schools: [DEMO_SCHOOL, DEMO_SCHOOL_B],
        },
        {
          role: 'leerplicht_officer',
          subject: 'demo-leerplicht-officer',
          municipalities: [DEMO_MUNICIPALITY],
        },
        { role: 'doorstroompunt_officer', subject: 'demo-doorstroompunt-officer', region: DEMO_REGION },
        { role: 'privacy_officer', subject: 'demo-privacy-officer', board: DEMO_BOARD },
        { role: 'auditor', subject: 'demo-auditor', board: DEMO_BOARD },
        {
          role: 'integration_client',
          subject: 'demo-integration-client',
          board: DEMO_BOARD,
          school: DEMO_SCHOOL,
          system: DEMO_SYSTEM,
        },
        { role: 'board_admin', subject: 'demo-board-admin', board: DEMO_BOARD },
        // The second privacy officer of the demo board, for four eyes (issue 11).
        { role: 'privacy_officer', subject: 'demo-privacy-officer-2', board: DEMO_BOARD },
        // The officer of the demo municipality a person handles (issue 14).
        {
          role: 'leerplicht_officer',
          subject: 'demo-leerplicht-officer-bunnik',
          municipalities: [DEMO_HUMAN_MUNICIPALITY],
        },
      ]);
      assert.ok(tokens.every((t) => t.tokenType === 'Bearer' && t.subject.startsWith('demo-')));
    });
  });

  it('refuses to issue claims that do not fit the role, or a bad lifetime', async () => {
    await withTempDir(async (dir) => {
      const issuer = await LocalIssuer.open(settingsIn(dir));
      const bad = { role: 'leerplicht_officer', sub: 'x', municipalities: ['344'] } as const;
      const error = await rejectsWithCode(issuer.issue(bad), 'TOKEN_CLAIMS', 'validation');
      assert.ok(error instanceof ValidationError);
      assert.equal(error.issues[0]?.field, 'municipalities');
      await rejectsWithCode(
        issuer.issue(DEMO_ACTOR_CLAIMS.auditor, { ttlSeconds: 0 }),
        'TOKEN_TTL',
        'validation',
      );
      await rejectsWithCode(
        issuer.issue(DEMO_ACTOR_CLAIMS.auditor, { ttlSeconds: 1.5 }),
        'TOKEN_TTL',
        'validation',
      );
      await rejectsWithCode(
        issuer.issue(DEMO_ACTOR_CLAIMS.auditor, { ttlSeconds: 365 * 86_400 }),
        'TOKEN_TTL',
        'validation',
      );
    });
  });

  it('tokens from another data dir (another key) are refused: TOKEN_INVALID', async () => {
    await withTempDir(async (one) => {
      await withTempDir(async (two) => {
        const mine = await LocalIssuer.open(settingsIn(one));
        const theirs = await LocalIssuer.open(settingsIn(two));
        assert.notEqual(mine.kid, theirs.kid);
        const verifier = await JwtVerifier.create(settingsIn(one).auth, mine);
        const token = await theirs.issue(DEMO_ACTOR_CLAIMS.auditor, { now: NOW });
        await rejectsWithCode(verifier.verify(token, { currentDate: NOW }), 'TOKEN_INVALID');
      });
    });
  });

  it('will not start when AUTH_LOCAL_ISSUER is off', async () => {
    await withTempDir(async (dir) => {
      await assert.rejects(
        LocalIssuer.open({ dataDir: dir, auth: authSettings({ localIssuer: false }) }),
        ConfigurationError,
      );
    });
  });

  it('refuses a corrupt key file instead of replacing it', async () => {
    await withTempDir(async (dir) => {
      const keyFile = join(dir, LOCAL_ISSUER_KEY_FILE);
      for (const content of [
        'not json',
        '{"kty":"RSA","n":"x","e":"AQAB"}',
        '{"kty":"EC","crv":"P-256","x":"AA","y":"AA","d":"AA"}',
      ]) {
        await writeFile(keyFile, content, { mode: 0o600 });
        await assert.rejects(LocalIssuer.open(settingsIn(dir)), ConfigurationError);
        assert.equal(await readFile(keyFile, 'utf8'), content);
      }
    });
  });
});
