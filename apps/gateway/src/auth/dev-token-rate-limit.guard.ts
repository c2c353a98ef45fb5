import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { AuthRateLimits, clientAddress } from './rate-limits.js';

/**
 * Counts each call of the demo token endpoints per client address before anything else of the request is read
 * (past `DEV_TOKENS_LIMIT`: 429 `DEV_TOKENS_RATE_LIMITED` with `Retry-After`). A guard, so it runs before the
 * body's pipe: a malformed body is counted as well, and a client over its limit gets 429 whatever it sends.
 */
@Injectable()
export class DevTokenRateLimitGuard implements CanActivate {
  constructor(@Inject(AuthRateLimits) private readonly limits: AuthRateLimits) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<Parameters<typeof clientAddress>[0]>();
    await this.limits.consumeDevTokenCall(clientAddress(request));
    return true;
  }
}
