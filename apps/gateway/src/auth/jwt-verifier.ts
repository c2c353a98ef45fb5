import { hash } from 'node:crypto';
import { ConfigurationError, type Settings } from '#config';
import { UnauthenticatedError, UnavailableError, type Actor } from '#domain';
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  errors,
  importSPKI,
  importX509,
  jwtVerify,
  type CryptoKey,
  type JSONWebKeySet,
  type JWK,
  type JWTPayload,
  type JWTVerifyGetKey,
  type JWTVerifyOptions,
} from 'jose';
import { actorFromClaims } from './actor-claims.js';
import { AUTH_ERRORS } from './auth-error-codes.js';

export type AuthSettings = Settings['auth'];

/** A provider of public verification keys kept in-process, e.g. the LocalIssuer. */
export interface VerificationKeySource {
  publicJwks(): JSONWebKeySet;
}

export interface TokenVerifyOptions {
  /** The instant to check exp/nbf against; tests pass a fixed date. */
  readonly currentDate?: Date;
}

export interface VerifiedToken {
  readonly actor: Actor;
  readonly payload: JWTPayload;
}

/** Seconds of clock skew tolerated between the issuer and this gateway on exp and nbf. */
export const CLOCK_TOLERANCE_SECONDS = 30;
/** Far above any real token; stops a huge header from costing parse time before it is refused. */
export const MAX_TOKEN_LENGTH = 16 * 1024;

/** Symmetric algorithms would make every holder of the verification key a token issuer. */
const FORBIDDEN_ALGORITHMS = /^(none|HS\d+)$/i;

/** Raised by a key source that could not be consulted (remote JWKS down); verification may succeed later. */
class KeySourceUnavailable extends Error {
  constructor(readonly source: string) {
    super(`Verification keys from ${source} are unavailable`);
  }
}

/**
 * Verifies bearer JWTs and turns their claims into an Actor. Every key source is tried in turn because a
 * source that merely holds a key for the token's alg (a PEM key has no kid) is not necessarily the signer.
 */
export class JwtVerifier {
  private readonly algorithms: readonly string[];
  private readonly sources: readonly JWTVerifyGetKey[];
  private readonly pems: readonly PemKey[];

  constructor(
    private readonly auth: AuthSettings,
    localKeys?: VerificationKeySource | null,
  ) {
    const problems: string[] = [];
    this.algorithms = [...auth.algorithms];
    if (this.algorithms.length === 0) problems.push('AUTH_ALGORITHMS must list at least one algorithm');
    if (this.algorithms.some((alg) => FORBIDDEN_ALGORITHMS.test(alg))) {
      problems.push('AUTH_ALGORITHMS must not list none or HMAC (HS*) algorithms');
    }

    const sources: JWTVerifyGetKey[] = [];
    let pems: PemKey[] = [];
    if (localKeys) {
      if (!this.algorithms.includes('ES256')) {
        problems.push('AUTH_ALGORITHMS must include ES256 when AUTH_LOCAL_ISSUER is on');
      }
      sources.push(localJwkSet(localKeys.publicJwks(), 'local issuer', problems));
    }
    if (auth.staticKeys !== null) {
      const parsed = parseStaticKeys(auth.staticKeys, problems);
      if (parsed.jwks) sources.push(localJwkSet(parsed.jwks, 'AUTH_PUBLIC_KEYS', problems));
      pems = parsed.pems;
      sources.push(...pems.map((pem) => pem.getKey));
    }
    if (auth.jwksUrl !== null) {
      // Last: the only source that costs a network round trip.
      sources.push(remoteJwkSet(auth.jwksUrl, problems));
    }
    if (sources.length === 0) {
      problems.push(
        'No verification keys: set AUTH_JWKS_URL or AUTH_PUBLIC_KEYS, or turn AUTH_LOCAL_ISSUER on',
      );
    }
    if (problems.length > 0) throw new ConfigurationError(problems);
    this.sources = sources;
    this.pems = pems;
  }

  /**
   * Builds a verifier and checks that every PEM key can be used with some allowed algorithm, so a
   * broken key fails start-up instead of failing every request.
   */
  static async create(auth: AuthSettings, localKeys?: VerificationKeySource | null): Promise<JwtVerifier> {
    const verifier = new JwtVerifier(auth, localKeys);
    const problems: string[] = [];
    for (const [index, pem] of verifier.pems.entries()) {
      const usable = await Promise.all(verifier.algorithms.map((alg) => pem.keyFor(alg)));
      if (usable.every((key) => key === null)) {
        problems.push(`AUTH_PUBLIC_KEYS PEM #${index + 1} cannot be used with any of AUTH_ALGORITHMS`);
      }
    }
    if (problems.length > 0) throw new ConfigurationError(problems);
    return verifier;
  }

  /**
   * Tokens verified in the last few minutes, by their SHA-256: a machine client or a busy console sends the same
   * token with every request, and checking its signature again was 3 % of the gateway's CPU under the load bench.
   * A hit is still checked against the clock (exp, nbf), so an expired token is refused exactly as before; an
   * entry lives at most VERIFIED_CACHE_MS, so a key withdrawn from the JWKS stops working within that time.
   */
  private readonly verified = new Map<string, { readonly result: VerifiedToken; readonly until: number }>();

  /** Verifies a compact JWS and returns its Actor; throws UnauthenticatedError with a TOKEN_* code. */
  async verify(token: string, options: TokenVerifyOptions = {}): Promise<VerifiedToken> {
    if (typeof token !== 'string' || token.length === 0 || token.length > MAX_TOKEN_LENGTH) {
      throw new UnauthenticatedError(AUTH_ERRORS.TOKEN_INVALID, 'The bearer token is not a well-formed JWT');
    }
    const now = options.currentDate ?? new Date();
    const key = hash('sha256', token, 'base64url');
    const hit = this.verified.get(key);
    if (hit !== undefined) {
      if (hit.until > now.getTime() && stillValid(hit.result.payload, now)) return hit.result;
      this.verified.delete(key);
    }
    const result = await this.verifyFully(token, options);
    if (this.verified.size >= VERIFIED_CACHE_ENTRIES) {
      const oldest = this.verified.keys().next().value;
      if (oldest !== undefined) this.verified.delete(oldest);
    }
    this.verified.set(key, { result, until: now.getTime() + VERIFIED_CACHE_MS });
    return result;
  }

  private async verifyFully(token: string, options: TokenVerifyOptions): Promise<VerifiedToken> {
    const verifyOptions: JWTVerifyOptions = {
      algorithms: [...this.algorithms],
      issuer: this.auth.issuer,
      audience: this.auth.audience,
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
      requiredClaims: ['exp'],
      ...(options.currentDate ? { currentDate: options.currentDate } : {}),
    };

    let payload: JWTPayload | undefined;
    let unavailable: KeySourceUnavailable | undefined;
    try {
      for (const getKey of this.sources) {
        try {
          payload = await verifyWithSource(token, getKey, verifyOptions);
          if (payload) break;
        } catch (error) {
          if (!(error instanceof KeySourceUnavailable)) throw error;
          unavailable = error;
        }
      }
    } catch (error) {
      throw mapJoseError(error);
    }
    if (!payload) {
      if (unavailable) throw new UnavailableError(AUTH_ERRORS.AUTH_KEYS_UNAVAILABLE, unavailable.message);
      throw new UnauthenticatedError(
        AUTH_ERRORS.TOKEN_INVALID,
        'The token signature does not match any trusted key',
      );
    }

    this.checkLifetime(payload, options.currentDate ?? new Date());

    const result = actorFromClaims(payload);
    if (!result.ok) {
      throw new UnauthenticatedError(
        AUTH_ERRORS.TOKEN_CLAIMS,
        `The token claims do not fit its role: ${result.issues.map((issue) => issue.message).join('; ')}`,
      );
    }
    return { actor: result.value, payload };
  }

  /**
   * Caps how long any accepted token lives, whoever issued it (AUTH_MAX_TOKEN_LIFETIME_SECONDS): it needs iat, its
   * exp - iat may not exceed the cap, and neither may the time it has left (an iat in the future does not help).
   */
  private checkLifetime(payload: JWTPayload, now: Date): void {
    const max = this.auth.maxTokenLifetimeSeconds;
    const { iat, exp } = payload;
    const nowSeconds = Math.floor(now.getTime() / 1000);
    if (
      typeof iat !== 'number' ||
      typeof exp !== 'number' ||
      exp - iat > max ||
      exp - nowSeconds > max + CLOCK_TOLERANCE_SECONDS
    ) {
      throw new UnauthenticatedError(
        AUTH_ERRORS.TOKEN_LIFETIME,
        `The token must carry iat and live at most ${max} seconds (exp - iat)`,
      );
    }
  }

  /** Shorthand for verify(...).actor. */
  async verifyActor(token: string, options: TokenVerifyOptions = {}): Promise<Actor> {
    return (await this.verify(token, options)).actor;
  }
}

/** How long, and how many, verified tokens are remembered (see JwtVerifier.verified). */
const VERIFIED_CACHE_MS = 5 * 60_000;
const VERIFIED_CACHE_ENTRIES = 10_000;

/** A verified payload at `now`: not expired, not before its nbf (both with the clock tolerance jose allows). */
function stillValid(payload: JWTPayload, now: Date): boolean {
  const seconds = now.getTime() / 1000;
  if (typeof payload.exp !== 'number' || payload.exp + CLOCK_TOLERANCE_SECONDS <= seconds) return false;
  return typeof payload.nbf !== 'number' || payload.nbf - CLOCK_TOLERANCE_SECONDS <= seconds;
}

/**
 * Runs jose against one key source. Returns undefined when the source holds no key that verifies the
 * signature, so the caller can try the next one; every other failure is final.
 */
async function verifyWithSource(
  token: string,
  getKey: JWTVerifyGetKey,
  options: JWTVerifyOptions,
): Promise<JWTPayload | undefined> {
  try {
    return (await jwtVerify(token, getKey, options)).payload;
  } catch (error) {
    if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWSSignatureVerificationFailed) {
      return undefined;
    }
    if (error instanceof errors.JWKSMultipleMatchingKeys) {
      for await (const key of error) {
        try {
          return (await jwtVerify(token, key, options)).payload;
        } catch (inner) {
          if (!(inner instanceof errors.JWSSignatureVerificationFailed)) throw inner;
        }
      }
      return undefined;
    }
    throw error;
  }
}

/** Translates a jose failure into a coded DomainError; jose messages are not passed on. */
export function mapJoseError(error: unknown): Error {
  if (error instanceof UnauthenticatedError || error instanceof UnavailableError) return error;
  if (error instanceof errors.JWTExpired) {
    return new UnauthenticatedError(AUTH_ERRORS.TOKEN_EXPIRED, 'The token has expired');
  }
  if (error instanceof errors.JOSEAlgNotAllowed) {
    return new UnauthenticatedError(AUTH_ERRORS.TOKEN_ALGORITHM, 'The token algorithm is not allowed');
  }
  if (error instanceof errors.JWTClaimValidationFailed) {
    switch (error.claim) {
      case 'aud':
        return new UnauthenticatedError(
          AUTH_ERRORS.TOKEN_AUDIENCE,
          'The token is not meant for this audience',
        );
      case 'iss':
        return new UnauthenticatedError(AUTH_ERRORS.TOKEN_ISSUER, 'The token comes from an untrusted issuer');
      case 'nbf':
        if (error.reason === 'check_failed') {
          return new UnauthenticatedError(AUTH_ERRORS.TOKEN_NOT_YET_VALID, 'The token is not valid yet');
        }
        break;
    }
    return new UnauthenticatedError(
      AUTH_ERRORS.TOKEN_CLAIMS,
      `The token claim "${safeClaimName(error.claim)}" is missing or invalid`,
    );
  }
  return new UnauthenticatedError(AUTH_ERRORS.TOKEN_INVALID, 'The bearer token is invalid');
}

/** The claim name comes from jose's own list, but keep the message free of anything token-shaped. */
function safeClaimName(claim: string): string {
  return /^[a-z]{1,16}$/.test(claim) ? claim : 'unknown';
}

/** Stands in for a source that failed configuration checks; the constructor throws before it is used. */
const noKeys: JWTVerifyGetKey = () => Promise.reject(new errors.JWKSNoMatchingKey());

function localJwkSet(jwks: JSONWebKeySet, source: string, problems: string[]): JWTVerifyGetKey {
  try {
    return createLocalJWKSet(jwks);
  } catch {
    problems.push(`${source} is not a valid JSON Web Key Set of public keys`);
    return noKeys;
  }
}

function remoteJwkSet(jwksUrl: string, problems: string[]): JWTVerifyGetKey {
  let url: URL;
  try {
    url = new URL(jwksUrl);
  } catch {
    problems.push('AUTH_JWKS_URL is not a valid URL');
    return noKeys;
  }
  const remote = createRemoteJWKSet(url, {
    timeoutDuration: 5_000,
    cooldownDuration: 30_000,
    cacheMaxAge: 600_000,
  });
  return async (header, token) => {
    try {
      return await remote(header, token);
    } catch (error) {
      if (
        error instanceof errors.JWKSNoMatchingKey ||
        error instanceof errors.JWKSMultipleMatchingKeys ||
        error instanceof errors.JOSENotSupported
      ) {
        throw error;
      }
      // Timeouts, network errors, non-200 answers and malformed documents are the issuer's outage, not a bad token.
      throw new KeySourceUnavailable('AUTH_JWKS_URL');
    }
  };
}

interface PemKey {
  keyFor(alg: string): Promise<CryptoKey | null>;
  readonly getKey: JWTVerifyGetKey;
}

/** A PEM public key (SPKI or X.509 certificate), imported lazily once per algorithm. */
function pemKey(pem: string, kind: 'spki' | 'x509'): PemKey {
  const byAlg = new Map<string, Promise<CryptoKey | null>>();
  const keyFor = (alg: string): Promise<CryptoKey | null> => {
    let key = byAlg.get(alg);
    if (!key) {
      // A key of another type (an EC key for RS256) fails to import: it is simply not a key for this alg.
      key = (kind === 'spki' ? importSPKI(pem, alg) : importX509(pem, alg)).catch(() => null);
      byAlg.set(alg, key);
    }
    return key;
  };
  return {
    keyFor,
    getKey: async (header) => {
      const key = typeof header.alg === 'string' ? await keyFor(header.alg) : null;
      if (!key) throw new errors.JWKSNoMatchingKey();
      return key;
    },
  };
}

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;

/** AUTH_PUBLIC_KEYS: a JWKS document (or a single JWK) in JSON, or one or more PEM blocks. */
function parseStaticKeys(raw: string, problems: string[]): { jwks: JSONWebKeySet | null; pems: PemKey[] } {
  // Environment variables often carry PEM newlines as the two characters \n.
  const text = raw.trim().replace(/\\n/g, '\n');
  if (text.startsWith('{')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      problems.push('AUTH_PUBLIC_KEYS starts with { but is not valid JSON');
      return { jwks: null, pems: [] };
    }
    const keys: unknown = isRecord(parsed) && 'keys' in parsed ? parsed['keys'] : [parsed];
    if (!Array.isArray(keys) || !keys.every(isJwkLike)) {
      problems.push('AUTH_PUBLIC_KEYS JSON must be a JWKS ({"keys": [...]}) or a single JWK');
      return { jwks: null, pems: [] };
    }
    if (keys.some((key) => key.kty === 'oct' || 'd' in key || 'k' in key)) {
      problems.push('AUTH_PUBLIC_KEYS contains a private or symmetric key; give only public keys');
      return { jwks: null, pems: [] };
    }
    return { jwks: { keys }, pems: [] };
  }

  const pems: PemKey[] = [];
  let refused = false;
  for (const match of text.matchAll(PEM_BLOCK)) {
    const label = match[1] ?? '';
    if (label === 'PUBLIC KEY') pems.push(pemKey(match[0], 'spki'));
    else if (label === 'CERTIFICATE') pems.push(pemKey(match[0], 'x509'));
    else {
      refused = true;
      problems.push(
        label.includes('PRIVATE')
          ? 'AUTH_PUBLIC_KEYS contains a private key; give only public keys'
          : 'AUTH_PUBLIC_KEYS PEM blocks must be PUBLIC KEY or CERTIFICATE',
      );
    }
  }
  if (pems.length === 0 && !refused) {
    problems.push('AUTH_PUBLIC_KEYS holds neither a JWKS JSON document nor PEM public keys');
  }
  return { jwks: null, pems };
}

function isJwkLike(value: unknown): value is JWK {
  return isRecord(value) && typeof value['kty'] === 'string';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
