import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import type { Settings } from '#config';
import { RateLimitedError } from '#domain';
import { AUTH_ERRORS } from './auth-error-codes.js';

/**
 * Per client address, in this process's memory (each replica counts its own; the limit is a brake on guessing and
 * on token minting, not an exact quota): failed authentications (AUTH_FAILURE_LIMIT per
 * AUTH_FAILURE_WINDOW_SECONDS; a client that reached it is refused, even with a good token, until the window ends)
 * and calls of the demo token endpoint (DEV_TOKENS_LIMIT per DEV_TOKENS_WINDOW_SECONDS). A limit of 0 is off.
 */
export class AuthRateLimits {
  private readonly failures: RateLimiterMemory | null;
  private readonly devTokens: RateLimiterMemory | null;

  constructor(private readonly http: Settings['http']) {
    this.failures =
      http.authFailureLimit > 0
        ? new RateLimiterMemory({ points: http.authFailureLimit, duration: http.authFailureWindowSeconds })
        : null;
    this.devTokens =
      http.devTokensLimit > 0
        ? new RateLimiterMemory({ points: http.devTokensLimit, duration: http.devTokensWindowSeconds })
        : null;
  }

  /** Refuses a client that used up its failed authentications (429 AUTH_RATE_LIMITED). */
  async assertMayAuthenticate(client: string): Promise<void> {
    if (!this.failures) return;
    const state = await this.failures.get(client);
    if (state && state.consumedPoints >= this.http.authFailureLimit) {
      throw new RateLimitedError(
        AUTH_ERRORS.AUTH_RATE_LIMITED,
        'Too many failed authentications from this address; try again later',
        seconds(state.msBeforeNext),
      );
    }
  }

  /** Counts one failed authentication of a client. */
  async recordFailure(client: string): Promise<void> {
    if (!this.failures) return;
    await this.failures.consume(client).catch((error: unknown) => {
      if (!(error instanceof RateLimiterRes)) throw error;
    });
  }

  /** Counts one call of `/v1/dev/tokens`; past the limit 429 DEV_TOKENS_RATE_LIMITED. */
  async consumeDevTokenCall(client: string): Promise<void> {
    if (!this.devTokens) return;
    try {
      await this.devTokens.consume(client);
    } catch (error) {
      if (!(error instanceof RateLimiterRes)) throw error;
      throw new RateLimitedError(
        AUTH_ERRORS.DEV_TOKENS_RATE_LIMITED,
        'Too many demo tokens asked for from this address; try again later',
        seconds(error.msBeforeNext),
      );
    }
  }
}

function seconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}

/** The client address as Express sees it (TRUST_PROXY decides whether X-Forwarded-For counts). */
export function clientAddress(request: { ip?: string; socket?: { remoteAddress?: string } }): string {
  return request.ip ?? request.socket?.remoteAddress ?? 'unknown';
}
