import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import * as client from 'openid-client';
import { parseCookie as parseCookies, stringifySetCookie } from 'cookie';
import {
  type Actor,
  type Clock,
  type ConsoleSession,
  type ConsoleSessionStore,
  DomainError,
  ForbiddenError,
  UnauthenticatedError,
  UnavailableError,
} from '#domain';
import { actorFromClaims } from './actor-claims.js';
import { type ClaimsMapping, mapClaims } from './claims-mapping.js';
import type { SignInFlow } from './oidc-sign-in.js';
import { AUTH_ERRORS } from './auth-error-codes.js';

/** The session cookie: `__Host-` keeps it to this origin (Secure, Path=/, no Domain). */
export const SESSION_COOKIE = '__Host-kp_session';
/** A sign-in on its way through the identity provider. */
export const SIGN_IN_COOKIE = '__Host-kp_signin';
/** The header the console repeats the session's CSRF token in on every state-changing call. */
export const CSRF_HEADER = 'x-csrf-token';
const SIGN_IN_TTL_SECONDS = 600;
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The part of an HTTP request the session reads. */
export interface SessionRequest {
  readonly method: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The port this gateway answered on (the local provider's issuer depends on it). */
  readonly port: number;
}

export interface SessionView {
  readonly signedIn: true;
  readonly actor: Actor;
  readonly name: string | null;
  readonly csrfToken: string;
  readonly expiresAt: string;
}

const hashOf = (token: string): string => createHash('sha256').update(token).digest('hex');
const header = (value: string | string[] | undefined): string =>
  (Array.isArray(value) ? value[0] : value) ?? '';

/** A path on this origin; anything else (an absolute or protocol-relative URL) becomes `/`. */
export function safeReturnPath(value: unknown): string {
  if (typeof value !== 'string' || !/^\/(?![/\\])[\x21-\x7e]{0,500}$/.test(value)) return '/';
  return value;
}

/**
 * Console sign-in as a backend for frontend (ADR 0016): the gateway runs the authorisation code flow with PKCE,
 * turns the provider's claims into an actor through the claims mapping and keeps the session server-side. The
 * browser only holds an opaque HttpOnly cookie; tokens never reach it.
 */
export class ConsoleSessionService {
  constructor(
    private readonly store: ConsoleSessionStore,
    private readonly clock: Clock,
    private readonly mapping: ClaimsMapping,
    private readonly flow: SignInFlow | null,
    private readonly ttlSeconds: number,
  ) {}

  get signInAvailable(): boolean {
    return this.flow !== null;
  }

  /** Starts a sign-in: a pending session with PKCE verifier, state and nonce; the browser goes to the provider. */
  async beginSignIn(
    request: SessionRequest,
    returnTo: unknown,
  ): Promise<{ location: string; setCookie: string | null }> {
    const flow = this.requireFlow();
    const canonical = flow.canonicalOrigin(header(request.headers['host']), request.port);
    if (canonical !== null) {
      // Another loopback name of this gateway (127.0.0.1 for localhost): start again on the demo sign-in's origin.
      return {
        location: `${canonical}/auth/login?returnTo=${encodeURIComponent(safeReturnPath(returnTo))}`,
        setCookie: null,
      };
    }
    const redirectUri = flow.redirectUri(header(request.headers['host']), request.port);
    if (redirectUri === null) {
      throw new ForbiddenError(
        AUTH_ERRORS.SIGN_IN_HOST,
        'Sign in on the address the gateway announces (localhost)',
      );
    }
    const now = this.clock.now();
    const token = randomBytes(32).toString('base64url');
    const pending = {
      codeVerifier: client.randomPKCECodeVerifier(),
      state: client.randomState(),
      nonce: client.randomNonce(),
      returnTo: safeReturnPath(returnTo),
      redirectUri,
    };
    const location = await flow.authorizationUrl(request.port, {
      redirectUri,
      state: pending.state,
      nonce: pending.nonce,
      codeChallenge: await client.calculatePKCECodeChallenge(pending.codeVerifier),
    });
    await this.store.deleteExpired(now);
    await this.store.create({
      id: hashOf(token),
      kind: 'pending',
      actor: null,
      name: null,
      csrfToken: null,
      pending,
      idToken: null,
      createdAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + SIGN_IN_TTL_SECONDS * 1000).toISOString(),
    });
    return { location: location.href, setCookie: this.cookie(SIGN_IN_COOKIE, token, SIGN_IN_TTL_SECONDS) };
  }

  /**
   * Completes a sign-in at the callback: the pending session is used once, the code exchanged, the claims mapped;
   * a new session id is issued (never the pending one: no fixation).
   */
  async completeSignIn(
    request: SessionRequest,
    query: string,
  ): Promise<{ location: string; setCookies: string[] }> {
    const flow = this.requireFlow();
    const token = parseCookies(header(request.headers['cookie']))[SIGN_IN_COOKIE];
    const now = this.clock.now();
    const pending = token ? await this.store.find(hashOf(token), now) : null;
    if (!token || !pending?.pending || pending.kind !== 'pending') {
      throw new UnauthenticatedError(
        AUTH_ERRORS.SIGN_IN_EXPIRED,
        'The sign-in took too long or was already used',
      );
    }
    await this.store.delete(pending.id);
    const clear = this.cookie(SIGN_IN_COOKIE, '', 0);
    let identity: { claims: Record<string, unknown>; idToken: string | null };
    try {
      identity = await flow.finish(request.port, new URL(`${pending.pending.redirectUri}?${query}`), {
        codeVerifier: pending.pending.codeVerifier,
        state: pending.pending.state,
        nonce: pending.pending.nonce,
      });
    } catch (error) {
      if (error instanceof DomainError) throw error;
      throw new UnauthenticatedError(
        AUTH_ERRORS.SIGN_IN_FAILED,
        'The identity provider did not confirm the sign-in',
      );
    }
    const mapped = mapClaims(this.mapping, identity.claims);
    if (!mapped.ok) {
      throw new ForbiddenError(
        AUTH_ERRORS.SIGN_IN_NOT_ALLOWED,
        'The identity provider gave no role for ketenpoort',
      );
    }
    const sessionToken = randomBytes(32).toString('base64url');
    await this.store.create({
      id: hashOf(sessionToken),
      kind: 'active',
      actor: mapped.value.claims,
      name: mapped.value.name,
      csrfToken: randomBytes(32).toString('base64url'),
      pending: null,
      idToken: identity.idToken,
      createdAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + this.ttlSeconds * 1000).toISOString(),
    });
    return {
      location: pending.pending.returnTo,
      setCookies: [clear, this.cookie(SESSION_COOKIE, sessionToken, this.ttlSeconds)],
    };
  }

  /** Whether the request carries a session cookie (and no bearer token decides instead). */
  hasSessionCookie(request: Pick<SessionRequest, 'headers'>): boolean {
    return parseCookies(header(request.headers['cookie']))[SESSION_COOKIE] !== undefined;
  }

  /**
   * The actor of a cookie-authenticated request; a state-changing method must repeat the session's CSRF token in
   * `X-CSRF-Token` (the cookie alone, which a browser sends on its own, is never enough).
   */
  async authenticate(request: SessionRequest): Promise<Actor> {
    const session = await this.session(request);
    if (!session)
      throw new UnauthenticatedError(AUTH_ERRORS.SESSION_EXPIRED, 'The console session has ended');
    this.checkCsrf(request, session);
    const actor = actorFromClaims(session.actor ?? {});
    if (!actor.ok)
      throw new UnauthenticatedError(AUTH_ERRORS.SESSION_EXPIRED, 'The console session has ended');
    return actor.value;
  }

  /** What the console shows of the session; null when signed out. */
  async view(request: SessionRequest): Promise<SessionView | null> {
    const session = await this.session(request);
    const actor = session ? actorFromClaims(session.actor ?? {}) : null;
    if (!session || !actor?.ok || session.csrfToken === null) return null;
    return {
      signedIn: true,
      actor: actor.value,
      name: session.name,
      csrfToken: session.csrfToken,
      expiresAt: session.expiresAt,
    };
  }

  /** Ends the session here (CSRF-checked) and says where to end it at the provider. */
  async signOut(request: SessionRequest): Promise<{ location: string; setCookie: string }> {
    const session = await this.session(request);
    const setCookie = this.cookie(SESSION_COOKIE, '', 0);
    if (!session) return { location: '/afgemeld', setCookie };
    this.checkCsrf(request, session);
    await this.store.delete(session.id);
    let location: URL | null = null;
    try {
      location = this.flow
        ? await this.flow.endSessionUrl(request.port, session.idToken, header(request.headers['host']))
        : null;
    } catch (error) {
      // Signed out here already; the provider's own session ends when it expires.
      if (!(error instanceof UnavailableError)) throw error;
    }
    return { location: location?.href ?? '/afgemeld', setCookie };
  }

  private async session(request: Pick<SessionRequest, 'headers'>): Promise<ConsoleSession | null> {
    const token = parseCookies(header(request.headers['cookie']))[SESSION_COOKIE];
    if (!token || token.length > 200) return null;
    const session = await this.store.find(hashOf(token), this.clock.now());
    return session?.kind === 'active' ? session : null;
  }

  private checkCsrf(request: SessionRequest, session: ConsoleSession): void {
    if (SAFE_METHODS.has(request.method.toUpperCase())) return;
    const given = Buffer.from(header(request.headers[CSRF_HEADER]));
    const expected = Buffer.from(session.csrfToken ?? '');
    if (expected.length === 0 || given.length !== expected.length || !timingSafeEqual(given, expected)) {
      throw new ForbiddenError(
        AUTH_ERRORS.CSRF_TOKEN_INVALID,
        'A state-changing call with the session cookie needs the X-CSRF-Token header of the session',
      );
    }
  }

  private requireFlow(): SignInFlow {
    if (!this.flow) {
      throw new UnavailableError(
        AUTH_ERRORS.SIGN_IN_NOT_CONFIGURED,
        'No identity provider is configured: set OIDC_ISSUER_URL or OIDC_LOCAL_PROVIDER',
      );
    }
    return this.flow;
  }

  private cookie(name: string, value: string, maxAge: number): string {
    return stringifySetCookie({
      name,
      value,
      httpOnly: true,
      secure: true,
      sameSite: 'lax',
      path: '/',
      maxAge,
    });
  }
}
