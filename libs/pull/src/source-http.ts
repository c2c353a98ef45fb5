import pRetry, { AbortError } from 'p-retry';
import { type Clock, PullError, type PullSource } from '#domain';
import { PULL_ERRORS } from './pull-error-codes.js';

/** What the HTTP layer reports while it works: retries and token fetches. Never a token, secret or URL query. */
export interface PullEvent {
  readonly source: string;
  readonly event: 'retry' | 'token' | 'token-refresh';
  readonly code?: string;
  readonly status?: number | null;
  readonly attempt?: number;
  readonly retryAfterMs?: number | null;
}

export interface PullHttpOptions {
  readonly clock: Clock;
  readonly onEvent?: (event: PullEvent) => void;
  /** A token is renewed this long before it expires (never more than half its lifetime). */
  readonly tokenMarginMs?: number;
}

export interface HttpPage {
  readonly status: number;
  readonly headers: Headers;
  readonly body: string;
}

interface CachedToken {
  readonly value: string;
  readonly renewAt: number;
}

const DEFAULT_TOKEN_MARGIN_MS = 60_000;
/** When the token response says nothing about its lifetime. */
const DEFAULT_TOKEN_LIFETIME_S = 300;

/**
 * HTTP for one pull source, on Node's built-in fetch: an OAuth2 client-credentials token (cached until shortly
 * before it expires, renewed once on a 401), `Authorization: Bearer`, `Accept: application/json`, a timeout per
 * request, and retries with exponential back-off and jitter (p-retry) for network errors, timeouts, 429 (after
 * its `Retry-After`), 408, 500, 502, 503 and 504. Any other 4xx is a permanent `PullError` and is not retried.
 */
export class SourceHttp {
  private token: CachedToken | null = null;
  private pendingToken: Promise<string> | null = null;

  constructor(
    private readonly source: PullSource,
    private readonly options: PullHttpOptions,
  ) {}

  /** GET with the bearer token; a 401 renews the token once, a second 401 fails. */
  async get(
    url: URL,
    headers: Record<string, string>,
    signal?: AbortSignal,
    accept: readonly number[] = [],
  ): Promise<HttpPage> {
    let renewed = false;
    for (;;) {
      const token = await this.accessToken(signal);
      try {
        return await this.withRetry(
          () =>
            this.once(
              url,
              {
                method: 'GET',
                headers: { ...headers, Accept: 'application/json', Authorization: `Bearer ${token}` },
              },
              signal,
              accept,
            ),
          signal,
        );
      } catch (error) {
        if (error instanceof PullError && error.status === 401 && !renewed) {
          renewed = true;
          if (this.token?.value === token) this.token = null;
          this.emit({ event: 'token-refresh', status: 401 });
          continue;
        }
        throw error;
      }
    }
  }

  /** Forgets the cached token (tests; a changed secret). */
  forgetToken(): void {
    this.token = null;
  }

  private async accessToken(signal?: AbortSignal): Promise<string> {
    const now = this.options.clock.now().getTime();
    if (this.token && now < this.token.renewAt) return this.token.value;
    // Concurrent callers share one token request.
    this.pendingToken ??= this.fetchToken(signal).finally(() => {
      this.pendingToken = null;
    });
    return this.pendingToken;
  }

  private async fetchToken(signal?: AbortSignal): Promise<string> {
    const form = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: this.source.clientId,
      client_secret: this.source.clientSecret.reveal(),
    });
    if (this.source.scope) form.set('scope', this.source.scope);
    let page: HttpPage;
    try {
      page = await this.withRetry(
        () =>
          this.once(
            new URL(this.source.tokenUrl),
            {
              method: 'POST',
              headers: { Accept: 'application/json', 'Content-Type': 'application/x-www-form-urlencoded' },
              body: form.toString(),
            },
            signal,
            [],
          ),
        signal,
      );
    } catch (error) {
      if (error instanceof PullError && !error.retryable) {
        throw new PullError(
          PULL_ERRORS.PULL_TOKEN_REFUSED,
          `The token endpoint refused the client credentials (HTTP ${error.status ?? '?'})`,
          false,
          error.status,
        );
      }
      throw error;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(page.body);
    } catch {
      throw new PullError(
        PULL_ERRORS.PULL_TOKEN_INVALID,
        'The token endpoint did not answer JSON',
        false,
        page.status,
      );
    }
    const record = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
    const value = record['access_token'];
    if (typeof value !== 'string' || value === '') {
      throw new PullError(
        PULL_ERRORS.PULL_TOKEN_INVALID,
        'The token response has no access_token',
        false,
        page.status,
      );
    }
    const expiresIn =
      typeof record['expires_in'] === 'number' && record['expires_in'] > 0
        ? record['expires_in']
        : DEFAULT_TOKEN_LIFETIME_S;
    const lifetimeMs = expiresIn * 1000;
    const margin = Math.min(this.options.tokenMarginMs ?? DEFAULT_TOKEN_MARGIN_MS, lifetimeMs / 2);
    this.token = { value, renewAt: this.options.clock.now().getTime() + lifetimeMs - margin };
    this.emit({ event: 'token' });
    return value;
  }

  private withRetry(attempt: () => Promise<HttpPage>, signal?: AbortSignal): Promise<HttpPage> {
    const { retries, minBackoffMs, maxBackoffMs } = this.source;
    return pRetry(attempt, {
      retries,
      factor: 2,
      minTimeout: minBackoffMs,
      maxTimeout: maxBackoffMs,
      // Jitter: each wait is multiplied by a random factor between 1 and 2, so clients do not retry in step.
      randomize: true,
      unref: true,
      signal,
      shouldRetry: ({ error }) =>
        error instanceof PullError && error.retryable && !tooLongToWait(error, maxBackoffMs),
      onFailedAttempt: async ({ error, attemptNumber, retriesLeft }) => {
        if (!(error instanceof PullError) || !error.retryable || retriesLeft <= 0) return;
        if (tooLongToWait(error, maxBackoffMs)) return;
        this.emit({
          event: 'retry',
          code: error.code,
          status: error.status,
          attempt: attemptNumber,
          retryAfterMs: error.retryAfterMs,
        });
        // Honour Retry-After: wait what the server asked, then p-retry adds its own (jittered) back-off.
        if (error.retryAfterMs !== null && error.retryAfterMs > 0) await sleep(error.retryAfterMs, signal);
      },
    });
  }

  private async once(
    url: URL,
    init: RequestInit,
    outer: AbortSignal | undefined,
    accept: readonly number[],
  ): Promise<HttpPage> {
    const timeout = AbortSignal.timeout(this.source.timeoutMs);
    const signal = outer ? AbortSignal.any([outer, timeout]) : timeout;
    try {
      const response = await fetch(url, { ...init, signal, redirect: 'error' });
      const { status } = response;
      if ((status >= 200 && status < 300) || accept.includes(status)) {
        return {
          status,
          headers: response.headers,
          body: await readBody(response, this.source.maxPageBytes),
        };
      }
      await response.body?.cancel().catch(() => undefined);
      throw statusError(status, response.headers.get('retry-after'), this.options.clock);
    } catch (error) {
      if (error instanceof PullError) throw error;
      if (outer?.aborted)
        throw new AbortError(new PullError(PULL_ERRORS.PULL_ABORTED, 'The pull was stopped', true));
      if (timeout.aborted) {
        throw new PullError(
          PULL_ERRORS.PULL_TIMEOUT,
          `No complete answer within ${this.source.timeoutMs} ms`,
          true,
        );
      }
      throw new PullError(PULL_ERRORS.PULL_NETWORK_ERROR, 'The school system could not be reached', true);
    }
  }

  private emit(event: Omit<PullEvent, 'source'>): void {
    this.options.onEvent?.({ source: this.source.name, ...event });
  }
}

function tooLongToWait(error: PullError, maxBackoffMs: number): boolean {
  return error.retryAfterMs !== null && error.retryAfterMs > maxBackoffMs;
}

/** Reads the body as a stream into one page, refusing to hold more than `max` bytes. */
async function readBody(response: Response, max: number): Promise<string> {
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > max) {
    await response.body?.cancel().catch(() => undefined);
    throw tooLarge(max);
  }
  if (!response.body) return '';
  const decoder = new TextDecoder('utf-8');
  const parts: string[] = [];
  let size = 0;
  // Leaving the loop early (too large, aborted) cancels the stream.
  for await (const value of response.body as unknown as AsyncIterable<Uint8Array>) {
    size += value.byteLength;
    if (size > max) throw tooLarge(max);
    parts.push(decoder.decode(value, { stream: true }));
  }
  parts.push(decoder.decode());
  return parts.join('');
}

function tooLarge(max: number): PullError {
  return new PullError(
    PULL_ERRORS.PULL_PAGE_TOO_LARGE,
    `A response page is larger than ${max} bytes; lower pageSize`,
    false,
  );
}

function statusError(status: number, retryAfter: string | null, clock: Clock): PullError {
  if (status === 401)
    return new PullError(
      PULL_ERRORS.PULL_UNAUTHORISED,
      'The school system refused the token (HTTP 401)',
      false,
      401,
    );
  if (status === 429) {
    return new PullError(
      PULL_ERRORS.PULL_RATE_LIMITED,
      'The school system asked to slow down (HTTP 429)',
      true,
      429,
      retryAfterMs(retryAfter, clock),
    );
  }
  // 500 and 408 are transient far more often than not on school-system APIs; a run gives up after its retries.
  if (status === 408 || status === 500 || status === 502 || status === 503 || status === 504) {
    return new PullError(
      PULL_ERRORS.PULL_UNAVAILABLE,
      `The school system is unavailable (HTTP ${status})`,
      true,
      status,
      retryAfterMs(retryAfter, clock),
    );
  }
  if (status === 403)
    return new PullError(
      PULL_ERRORS.PULL_FORBIDDEN,
      'The school system refused access (HTTP 403)',
      false,
      403,
    );
  if (status === 404)
    return new PullError(
      PULL_ERRORS.PULL_NOT_FOUND,
      'The school system does not know this resource (HTTP 404)',
      false,
      404,
    );
  return new PullError(
    PULL_ERRORS.PULL_HTTP_ERROR,
    `The school system answered HTTP ${status}`,
    false,
    status,
  );
}

/** `Retry-After` as delay-seconds or an HTTP date; null when absent or unreadable. */
export function retryAfterMs(header: string | null, clock: Clock): number | null {
  if (header === null || header.trim() === '') return null;
  const text = header.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return null;
  return Math.max(0, at - clock.now().getTime());
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(done, ms);
    timer.unref?.();
    function done(): void {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }
    function onAbort(): void {
      clearTimeout(timer);
      reject(signal?.reason instanceof Error ? signal.reason : new Error('aborted'));
    }
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
