import { Body, Controller, Get, Header, HttpCode, Inject, Post, Req } from '@nestjs/common';
import { ROLES, ValidationError, type Role } from '#domain';
import { LocalIssuer, type IssuedToken } from './local-issuer.js';
import { Public } from './public.decorator.js';
import { AuthRateLimits, clientAddress } from './rate-limits.js';
import { AUTH_ERRORS } from './auth-error-codes.js';

export interface DevTokenRequest {
  readonly role: Role;
  readonly ttlSeconds?: number;
}

/**
 * Embedded mode only (registered when AUTH_LOCAL_ISSUER is on): hands out demo tokens so the API can be
 * tried without an identity provider.
 */
@Public()
@Controller('v1/dev/tokens')
export class DevTokensController {
  constructor(
    @Inject(LocalIssuer) private readonly issuer: LocalIssuer,
    @Inject(AuthRateLimits) private readonly limits: AuthRateLimits,
  ) {}

  /** One demo token per role. */
  @Get()
  @Header('Cache-Control', 'no-store')
  async list(@Req() request: ClientRequest): Promise<{ readonly tokens: readonly IssuedToken[] }> {
    await this.limits.consumeDevTokenCall(clientAddress(request));
    return { tokens: await this.issuer.demoTokens() };
  }

  /** A demo token for one role: body `{ "role": "school_staff", "ttlSeconds"?: 3600 }`. */
  @Post()
  @HttpCode(201)
  @Header('Cache-Control', 'no-store')
  async issue(@Req() client: ClientRequest, @Body() body: unknown): Promise<IssuedToken> {
    await this.limits.consumeDevTokenCall(clientAddress(client));
    const request = parseDevTokenRequest(body);
    return this.issuer.demoToken(
      request.role,
      request.ttlSeconds === undefined ? {} : { ttlSeconds: request.ttlSeconds },
    );
  }
}

type ClientRequest = Parameters<typeof clientAddress>[0];

export function parseDevTokenRequest(body: unknown): DevTokenRequest {
  const record = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const role = record['role'];
  if (typeof role !== 'string' || !(ROLES as readonly string[]).includes(role)) {
    const message = `role must be one of ${ROLES.join(', ')}`;
    throw new ValidationError(AUTH_ERRORS.ROLE_UNKNOWN, message, [
      { field: 'role', code: AUTH_ERRORS.ROLE_UNKNOWN, message },
    ]);
  }
  const ttlSeconds = record['ttlSeconds'];
  if (ttlSeconds !== undefined && typeof ttlSeconds !== 'number') {
    const message = 'ttlSeconds must be a number of seconds';
    throw new ValidationError(AUTH_ERRORS.TOKEN_TTL, message, [
      { field: 'ttlSeconds', code: AUTH_ERRORS.TOKEN_TTL, message },
    ]);
  }
  return ttlSeconds === undefined ? { role: role as Role } : { role: role as Role, ttlSeconds };
}
