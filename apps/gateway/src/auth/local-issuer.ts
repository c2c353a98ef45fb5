import { randomUUID } from 'node:crypto';
import { chmod, link, mkdir, readFile, stat, unlink, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ConfigurationError, type Settings } from '#config';
import { ValidationError, type Role } from '#domain';
import {
  calculateJwkThumbprint,
  exportJWK,
  generateKeyPair,
  importJWK,
  SignJWT,
  type CryptoKey,
  type JSONWebKeySet,
  type JWK,
} from 'jose';
import { actorFromClaims, actorToClaims, type ActorClaims } from './actor-claims.js';
import { DEMO_ACTOR_CLAIMS, allDemoActorClaims } from './demo-actors.js';
import type { VerificationKeySource } from './jwt-verifier.js';
import { AUTH_ERRORS } from './auth-error-codes.js';

export const LOCAL_ISSUER_KEY_FILE = 'local-issuer.jwk.json';
export const LOCAL_ISSUER_ALGORITHM = 'ES256';
export const DEFAULT_TOKEN_TTL_SECONDS = 8 * 60 * 60;
/** Demo tokens are for a working day or a demo week, not for keeping. */
export const MAX_TOKEN_TTL_SECONDS = 7 * 24 * 60 * 60;

export interface IssueOptions {
  /** Lifetime in seconds; default 8 hours. */
  readonly ttlSeconds?: number;
  /** Issue time; tests pass a fixed instant. */
  readonly now?: Date;
}

export interface IssuedToken {
  readonly role: Role;
  readonly subject: string;
  readonly token: string;
  readonly tokenType: 'Bearer';
  /** ISO 8601 instant. */
  readonly expiresAt: string;
}

interface EcPublicJwk {
  readonly kty: 'EC';
  readonly crv: 'P-256';
  readonly x: string;
  readonly y: string;
}

/**
 * The embedded-mode token issuer: lets a developer or demo call the gateway without an identity
 * provider. Its ES256 key lives in DATA_DIR so tokens survive a restart; it is never on in production
 * unless AUTH_LOCAL_ISSUER is set explicitly.
 */
export class LocalIssuer implements VerificationKeySource {
  private constructor(
    private readonly auth: Settings['auth'],
    private readonly privateKey: CryptoKey,
    private readonly publicJwk: EcPublicJwk,
    /** The RFC 7638 thumbprint of the public key: stable across restarts. */
    readonly kid: string,
    readonly keyFile: string,
  ) {}

  /** Loads the key from `<dataDir>/local-issuer.jwk.json`, creating it (mode 0600) on first start. */
  static async open(settings: Pick<Settings, 'auth' | 'dataDir'>): Promise<LocalIssuer> {
    if (!settings.auth.localIssuer) {
      throw new ConfigurationError(['AUTH_LOCAL_ISSUER is off: the local token issuer may not be started']);
    }
    const dir = resolve(settings.dataDir);
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const keyFile = join(dir, LOCAL_ISSUER_KEY_FILE);

    const jwk = (await readKeyFile(keyFile)) ?? (await createKeyFile(keyFile));
    const publicJwk: EcPublicJwk = { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y };
    let privateKey: CryptoKey;
    try {
      privateKey = await importJWK({ ...publicJwk, d: jwk.d }, LOCAL_ISSUER_ALGORITHM);
    } catch {
      throw invalidKeyFile(keyFile);
    }
    const kid = await calculateJwkThumbprint(publicJwk, 'sha256');
    return new LocalIssuer(settings.auth, privateKey, publicJwk, kid, keyFile);
  }

  publicJwks(): JSONWebKeySet {
    return { keys: [{ ...this.publicJwk, kid: this.kid, alg: LOCAL_ISSUER_ALGORITHM, use: 'sig' }] };
  }

  /** Signs a token for the given actor claims; refuses claims the verifier would refuse. */
  async issue(claims: ActorClaims, options: IssueOptions = {}): Promise<string> {
    return (await this.sign(claims, options)).token;
  }

  /** Like issue, with the expiry and role alongside the token. */
  async issueToken(claims: ActorClaims, options: IssueOptions = {}): Promise<IssuedToken> {
    return this.sign(claims, options);
  }

  /** A token for the demo actor of a role (see DEMO_ACTOR_CLAIMS). */
  async demoToken(role: Role, options: IssueOptions = {}): Promise<IssuedToken> {
    return this.sign(DEMO_ACTOR_CLAIMS[role], options);
  }

  /** One token per role, in ROLES order, then one per extra demo actor (the second privacy officer). */
  async demoTokens(options: IssueOptions = {}): Promise<readonly IssuedToken[]> {
    return Promise.all(allDemoActorClaims().map((claims) => this.sign(claims, options)));
  }

  private async sign(claims: ActorClaims, options: IssueOptions): Promise<IssuedToken> {
    // Never longer than the verifier accepts (AUTH_MAX_TOKEN_LIFETIME_SECONDS).
    const max = Math.min(MAX_TOKEN_TTL_SECONDS, this.auth.maxTokenLifetimeSeconds);
    const ttl = options.ttlSeconds ?? Math.min(DEFAULT_TOKEN_TTL_SECONDS, max);
    if (!Number.isInteger(ttl) || ttl < 1 || ttl > max) {
      throw new ValidationError(AUTH_ERRORS.TOKEN_TTL, `ttlSeconds must be an integer between 1 and ${max}`, [
        {
          field: 'ttlSeconds',
          code: AUTH_ERRORS.TOKEN_TTL,
          message: `must be an integer between 1 and ${max}`,
        },
      ]);
    }
    const checked = actorFromClaims(claims);
    if (!checked.ok) {
      throw new ValidationError(AUTH_ERRORS.TOKEN_CLAIMS, 'The claims do not fit the role', checked.issues);
    }
    // Sign the normalised claims only, so stray properties of the input never end up in a token.
    const { sub, ...scope } = actorToClaims(checked.value);
    const issuedAt = Math.floor((options.now ?? new Date()).getTime() / 1000);
    const expiresAt = issuedAt + ttl;
    const token = await new SignJWT({ ...scope })
      .setProtectedHeader({ alg: LOCAL_ISSUER_ALGORITHM, typ: 'JWT', kid: this.kid })
      .setIssuer(this.auth.issuer)
      .setAudience(this.auth.audience)
      .setSubject(sub)
      .setJti(randomUUID())
      .setIssuedAt(issuedAt)
      .setExpirationTime(expiresAt)
      .sign(this.privateKey);
    return {
      role: checked.value.role,
      subject: sub,
      token,
      tokenType: 'Bearer',
      expiresAt: new Date(expiresAt * 1000).toISOString(),
    };
  }
}

interface StoredKey {
  readonly x: string;
  readonly y: string;
  readonly d: string;
}

async function readKeyFile(keyFile: string): Promise<StoredKey | null> {
  let text: string;
  try {
    text = await readFile(keyFile, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw invalidKeyFile(keyFile);
  }
  const jwk = parsed as Record<string, unknown> | null;
  if (
    typeof jwk !== 'object' ||
    jwk === null ||
    jwk['kty'] !== 'EC' ||
    jwk['crv'] !== 'P-256' ||
    typeof jwk['x'] !== 'string' ||
    typeof jwk['y'] !== 'string' ||
    typeof jwk['d'] !== 'string'
  ) {
    throw invalidKeyFile(keyFile);
  }
  await tightenMode(keyFile);
  return { x: jwk['x'], y: jwk['y'], d: jwk['d'] };
}

/**
 * Writes a fresh key next to the target and hard-links it into place: the link either creates the file
 * whole or fails because another process (gateway and worker starting together) got there first.
 */
async function createKeyFile(keyFile: string): Promise<StoredKey> {
  const { privateKey } = await generateKeyPair(LOCAL_ISSUER_ALGORITHM, { extractable: true });
  const jwk: JWK = await exportJWK(privateKey);
  if (typeof jwk.x !== 'string' || typeof jwk.y !== 'string' || typeof jwk.d !== 'string') {
    throw new Error('Generated ES256 key could not be exported');
  }
  const content =
    JSON.stringify({ kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y, d: jwk.d, alg: LOCAL_ISSUER_ALGORITHM }) +
    '\n';
  const temp = `${keyFile}.${process.pid}.${randomUUID()}.tmp`;
  await writeFile(temp, content, { mode: 0o600, flag: 'wx' });
  try {
    await link(temp, keyFile);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EEXIST') {
      // Some file systems have no hard links; an exclusive create still never overwrites a key.
      await writeFile(keyFile, content, { mode: 0o600, flag: 'wx' }).catch((inner: NodeJS.ErrnoException) => {
        if (inner.code !== 'EEXIST') throw inner;
      });
    }
  } finally {
    await unlink(temp).catch(() => undefined);
  }
  const stored = await readKeyFile(keyFile);
  if (!stored) throw invalidKeyFile(keyFile);
  return stored;
}

/** A private key readable by others is a key anyone on the host can mint tokens with. */
async function tightenMode(keyFile: string): Promise<void> {
  if (process.platform === 'win32') return;
  const { mode } = await stat(keyFile);
  if ((mode & 0o077) !== 0) await chmod(keyFile, 0o600);
}

function invalidKeyFile(keyFile: string): ConfigurationError {
  return new ConfigurationError([
    `${keyFile} is not a valid ES256 private JWK; delete it to let the local issuer create a new key`,
  ]);
}
