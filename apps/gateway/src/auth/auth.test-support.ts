import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Settings } from '#config';
import { DomainError, type Actor, type Role } from '#domain';
import {
  exportJWK,
  exportSPKI,
  generateKeyPair,
  SignJWT,
  type CryptoKey,
  type GenerateKeyPairAlgorithm,
  type JWK,
  type JWTPayload,
} from 'jose';

/** Test helpers for the auth specs; not exported from the auth index. */

export const TEST_ISSUER = 'https://idp.test/realms/ketenpoort';
export const TEST_AUDIENCE = 'ketenpoort';
/** A fixed "now" so expiry tests do not depend on the wall clock. */
export const NOW = new Date('2031-03-04T09:00:00Z');
export const NOW_SECONDS = Math.floor(NOW.getTime() / 1000);

/** The Actor each DEMO_ACTOR_CLAIMS entry must map to, written out independently of the mapper. */
export const EXPECTED_ACTORS: { readonly [R in Role]: Actor } = {
  school_staff: {
    role: 'school_staff',
    subject: 'demo-school-staff',
    board: 'BOARD-DEMO',
    schools: ['99XX', '99XY'],
  },
  integration_client: {
    role: 'integration_client',
    subject: 'demo-integration-client',
    board: 'BOARD-DEMO',
    school: '99XX',
    system: 'magister',
  },
  privacy_officer: { role: 'privacy_officer', subject: 'demo-privacy-officer', board: 'BOARD-DEMO' },
  auditor: { role: 'auditor', subject: 'demo-auditor', board: 'BOARD-DEMO' },
  leerplicht_officer: {
    role: 'leerplicht_officer',
    subject: 'demo-leerplicht-officer',
    municipalities: ['0344'],
  },
  doorstroompunt_officer: {
    role: 'doorstroompunt_officer',
    subject: 'demo-doorstroompunt-officer',
    region: 'RMC-UTRECHT',
  },
  board_admin: { role: 'board_admin', subject: 'demo-board-admin', board: 'BOARD-DEMO' },
};

/** HTTP settings for module-level specs: no proxies trusted, rate limits off (the abuse tier tests them). */
export const TEST_HTTP_SETTINGS: Settings['http'] = {
  trustProxy: null,
  authFailureLimit: 0,
  authFailureWindowSeconds: 60,
  devTokensLimit: 0,
  devTokensWindowSeconds: 60,
};

export function authSettings(overrides: Partial<Settings['auth']> = {}): Settings['auth'] {
  return {
    issuer: TEST_ISSUER,
    audience: TEST_AUDIENCE,
    algorithms: ['ES256', 'RS256', 'EdDSA'],
    jwksUrl: null,
    staticKeys: null,
    localIssuer: false,
    maxTokenLifetimeSeconds: 12 * 60 * 60,
    ...overrides,
  };
}

export interface TestKey {
  readonly alg: string;
  readonly kid: string;
  readonly privateKey: CryptoKey;
  readonly publicJwk: JWK;
  readonly spki: string;
}

export async function testKey(alg: GenerateKeyPairAlgorithm, kid: string): Promise<TestKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' };
  return { alg, kid, privateKey, publicJwk, spki: await exportSPKI(publicKey) };
}

export interface SignOptions {
  readonly alg?: string;
  /** null: no kid header. */
  readonly kid?: string | null;
  readonly iss?: string | null;
  readonly aud?: string | string[] | null;
  readonly iat?: number;
  /** null: no exp claim. */
  readonly exp?: number | null;
  readonly nbf?: number;
}

/** Signs claims the way an identity provider would; defaults give a token valid at NOW. */
export async function signToken(
  key: TestKey | { alg: string; kid: string; privateKey: CryptoKey | Uint8Array },
  claims: JWTPayload,
  options: SignOptions = {},
): Promise<string> {
  const kid = options.kid === undefined ? key.kid : options.kid;
  const jwt = new SignJWT({ ...claims }).setProtectedHeader({
    alg: options.alg ?? key.alg,
    typ: 'JWT',
    ...(kid === null ? {} : { kid }),
  });
  const iss = options.iss === undefined ? TEST_ISSUER : options.iss;
  const aud = options.aud === undefined ? TEST_AUDIENCE : options.aud;
  if (iss !== null) jwt.setIssuer(iss);
  if (aud !== null) jwt.setAudience(aud);
  jwt.setIssuedAt(options.iat ?? NOW_SECONDS - 60);
  const exp = options.exp === undefined ? NOW_SECONDS + 3600 : options.exp;
  if (exp !== null) jwt.setExpirationTime(exp);
  if (options.nbf !== undefined) jwt.setNotBefore(options.nbf);
  return jwt.sign(key.privateKey);
}

export function jwksJson(...keys: readonly TestKey[]): string {
  return JSON.stringify({ keys: keys.map((key) => key.publicJwk) });
}

/** Asserts that a promise rejects with a DomainError of the given code (and kind, when given). */
export async function rejectsWithCode(
  promise: Promise<unknown>,
  code: string,
  kind?: string,
): Promise<DomainError> {
  let caught: unknown;
  try {
    await promise;
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof DomainError, `expected a DomainError ${code}, got ${String(caught)}`);
  assert.equal(caught.code, code);
  if (kind !== undefined) assert.equal(caught.kind, kind);
  return caught;
}

export async function withTempDir<T>(run: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'ketenpoort-auth-'));
  try {
    return await run(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
