import { Body, Controller, Get, Header, HttpCode, Inject, Post, UseGuards } from '@nestjs/common';
import { CommandPipe } from '../http/command.pipe.js';
import { DevTokenRateLimitGuard } from './dev-token-rate-limit.guard.js';
import { type DevTokenRequest, parseDevTokenRequest } from './dev-token-request.js';
import { LocalIssuer, type IssuedToken } from './local-issuer.js';
import { Public } from './public.decorator.js';

/**
 * Embedded mode only (registered when AUTH_LOCAL_ISSUER is on): hands out demo tokens so the API can be
 * tried without an identity provider. Every call counts against the client's demo token limit.
 */
@Public()
@Controller('v1/dev/tokens')
@UseGuards(DevTokenRateLimitGuard)
export class DevTokensController {
  constructor(@Inject(LocalIssuer) private readonly issuer: LocalIssuer) {}

  /** One demo token per role. */
  @Get()
  @Header('Cache-Control', 'no-store')
  async list(): Promise<{ readonly tokens: readonly IssuedToken[] }> {
    return { tokens: await this.issuer.demoTokens() };
  }

  /** A demo token for one role: body `{ "role": "school_staff", "ttlSeconds"?: 3600 }`. */
  @Post()
  @HttpCode(201)
  @Header('Cache-Control', 'no-store')
  async issue(@Body(new CommandPipe(parseDevTokenRequest)) request: DevTokenRequest): Promise<IssuedToken> {
    return this.issuer.demoToken(
      request.role,
      request.ttlSeconds === undefined ? {} : { ttlSeconds: request.ttlSeconds },
    );
  }
}
