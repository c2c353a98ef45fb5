import { Inject, Injectable, Optional, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { UnauthenticatedError, type Actor, type Role, requireRole } from '#domain';
import type { AuthenticatedRequest } from './authenticated-request.js';
import { ConsoleSessionService } from './console-session.service.js';
import { JwtVerifier } from './jwt-verifier.js';
import { AuthRateLimits, clientAddress } from './rate-limits.js';
import { IS_PUBLIC_KEY } from './public.decorator.js';
import { ROLES_KEY } from './roles.decorator.js';
import { AUTH_ERRORS } from './auth-error-codes.js';

/** RFC 6750 b64token after the scheme; anything else in the header is not a bearer token. */
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;

/**
 * The global guard: every route needs a valid bearer token or console session unless marked @Public(), and a route
 * marked @Roles(...) also needs one of those roles.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(JwtVerifier) private readonly verifier: JwtVerifier,
    @Optional()
    @Inject(ConsoleSessionService)
    private readonly sessions: ConsoleSessionService | null = null,
    @Optional()
    @Inject(AuthRateLimits)
    private readonly limits: AuthRateLimits | null = null,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean | undefined>(IS_PUBLIC_KEY, targets) === true) return true;
    // Only HTTP carries a bearer header; any other transport is refused rather than let through.
    if (context.getType() !== 'http') {
      throw new UnauthenticatedError(AUTH_ERRORS.TOKEN_MISSING, 'No bearer token on this transport');
    }

    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    // A client that failed too often is refused before its token is looked at (429 with Retry-After).
    const client = clientAddress(request as { ip?: string; socket?: { remoteAddress?: string } });
    await this.limits?.assertMayAuthenticate(client);
    let actor: Actor;
    try {
      actor = await this.authenticate(request);
    } catch (error) {
      // A credential that was presented and failed counts; no credential at all (TOKEN_MISSING) is no guess.
      if (error instanceof UnauthenticatedError && error.code !== AUTH_ERRORS.TOKEN_MISSING) {
        await this.limits?.recordFailure(client);
      }
      throw error;
    }
    request.actor = actor;

    const roles = this.reflector.getAllAndOverride<readonly Role[] | undefined>(ROLES_KEY, targets);
    if (roles !== undefined) requireRole(actor, roles, `Role ${actor.role} may not use this endpoint`);
    return true;
  }

  /** A bearer token (machine clients) decides when present; otherwise the console's session cookie (ADR 0016). */
  private async authenticate(request: AuthenticatedRequest): Promise<Actor> {
    return request.headers['authorization'] === undefined && this.sessions?.hasSessionCookie(request)
      ? this.sessions.authenticate({
          method: request.method ?? 'GET',
          headers: request.headers,
          port: request.socket?.localPort ?? 0,
        })
      : (await this.verifier.verify(bearerToken(request.headers['authorization']))).actor;
  }
}

/** The token of an `Authorization: Bearer <jwt>` header. */
export function bearerToken(header: string | string[] | undefined): string {
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined || value.trim() === '') {
    throw new UnauthenticatedError(
      AUTH_ERRORS.TOKEN_MISSING,
      'An Authorization: Bearer <token> header is required',
    );
  }
  if (!/^Bearer(\s|$)/i.test(value.trim())) {
    throw new UnauthenticatedError(
      AUTH_ERRORS.TOKEN_MISSING,
      'The Authorization header must use the Bearer scheme',
    );
  }
  const match = BEARER.exec(value.trim());
  if (!match?.[1])
    throw new UnauthenticatedError(AUTH_ERRORS.TOKEN_INVALID, 'The bearer token is not a well-formed JWT');
  return match[1];
}
