import { Agent, request } from 'node:https';
import {
  type Clock,
  DomainError,
  type OutboundContext,
  type ReportConnector,
  type SendResult,
  type StatusChange,
  UnavailableError,
  isDomainError,
} from '#domain';
import type { ReleasedPayload } from '#privacy';
import { parseDuoAnswer, parseStatusAnswer } from './answers.js';
import { formatReleasedFields, formatStatusRequest, messageIdFor } from './format.js';
import { type DuoProfile, LEGACY_2010_PROFILE } from './profile.js';

export interface DuoTlsMaterial {
  /** The school's PKIoverheid client certificate (PEM, chain allowed). */
  readonly cert: string;
  /** Its private key (PEM). */
  readonly key: string;
  /** Trust anchor(s) for DUO's server certificate (PEM). */
  readonly ca: string;
  readonly passphrase?: string;
}

export interface DuoRodConnectorOptions {
  /** The ROD service URL (https). */
  readonly endpoint: string;
  readonly duoOin: string;
  readonly schoolOin: string;
  readonly tls: DuoTlsMaterial;
  /** Code tables; default `legacy-2010`. */
  readonly profile?: DuoProfile;
  /** One attempt's deadline (connect + answer); default 30 000. */
  readonly timeoutMs?: number;
  /** Default: the system clock. Used for the status request's MessageID. */
  readonly clock?: Clock;
}

interface HttpAnswer {
  readonly status: number;
  readonly body: string;
}

type Transport =
  { ok: true; answer: HttpAnswer } | { ok: false; retryable: boolean; code: string; reason: string };

/** TLS/certificate failures: the peer or we refused the other's certificate; a person must fix it. */
const TLS_ERROR =
  /^(ERR_SSL_|ERR_TLS_|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|EPROTO$|HOSTNAME_MISMATCH|ERR_OSSL_)/;
const RETRYABLE_NETWORK = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'ENOTFOUND',
]);
const MAX_ANSWER_BYTES = 4 * 1024 * 1024;

/**
 * DUO's register (ROD) over Edukoppeling: SOAP 1.1 with WS-Addressing over two-way TLS. One attempt per
 * `send`: the delivery dispatcher owns retries, and the same idempotency key gives the same MessageID, which
 * DUO (and the chain simulator) deduplicate on.
 */
export class DuoRodConnector implements ReportConnector<ReleasedPayload> {
  readonly destination = 'DUO' as const;
  private readonly profile: DuoProfile;
  private readonly timeoutMs: number;
  private readonly url: URL;

  private readonly agent: Agent;

  constructor(private readonly options: DuoRodConnectorOptions) {
    this.profile = options.profile ?? LEGACY_2010_PROFILE;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.url = new URL(options.endpoint);
    if (this.url.protocol !== 'https:') throw new TypeError('the DUO endpoint must be https');
    const { tls } = options;
    // One TLS session per socket, kept alive between sends: a handshake with the school's certificate per report
    // would cost more than the report itself.
    this.agent = new Agent({
      keepAlive: true,
      maxSockets: 16,
      cert: tls.cert,
      key: tls.key,
      ca: tls.ca,
      ...(tls.passphrase !== undefined ? { passphrase: tls.passphrase } : {}),
      rejectUnauthorized: true,
    });
  }

  /** Closes the kept-alive connections. */
  close(): void {
    this.agent.destroy();
  }

  async send(context: OutboundContext, payload: ReleasedPayload): Promise<SendResult> {
    let message: string;
    try {
      message = formatReleasedFields(context, payload, this.messageOptions());
    } catch (error) {
      if (isDomainError(error))
        return { ok: false, retryable: false, code: error.code, reason: error.message };
      throw error;
    }
    const sent = await this.post(message);
    if (!sent.ok) return sent;
    const answer = parseDuoAnswer(sent.answer.body, this.profile);
    if (answer.kind === 'error')
      return {
        ok: false,
        retryable: answer.retryable,
        code: answer.code,
        reason: `${answer.duoCode}: ${answer.description}`,
      };
    const { status } = sent.answer;
    if (status < 200 || status > 299) return httpFailure(status);
    if (answer.kind === 'unparseable')
      return { ok: false, retryable: false, code: answer.code, reason: answer.detail };
    return {
      ok: true,
      externalRef: answer.reportNumber,
      status: context.operation === 'WITHDRAW' ? 'WITHDRAWN' : 'REGISTERED',
    };
  }

  async fetchStatusChanges(since: Date): Promise<{ readonly changes: StatusChange[]; readonly until: Date }> {
    const now = (this.options.clock ?? { now: () => new Date() }).now();
    const messageId = messageIdFor(`status:${since.toISOString()}:${now.toISOString()}`);
    const sent = await this.post(formatStatusRequest(since, messageId, this.messageOptions()));
    if (!sent.ok) throw failure(sent.code, sent.reason, sent.retryable);
    const answer = parseStatusAnswer(sent.answer.body, this.profile);
    if (answer.kind === 'error')
      throw failure(answer.code, `${answer.duoCode}: ${answer.description}`, answer.retryable);
    const { status } = sent.answer;
    if (status < 200 || status > 299) {
      const http = httpFailure(status);
      throw failure(http.code, http.reason, http.retryable);
    }
    if (answer.kind === 'unparseable') throw failure(answer.code, answer.detail, false);
    return { changes: answer.changes, until: answer.until };
  }

  private messageOptions() {
    return { duoOin: this.options.duoOin, schoolOin: this.options.schoolOin, profile: this.profile };
  }

  private post(message: string): Promise<Transport> {
    const body = Buffer.from(message, 'utf8');
    return new Promise<Transport>((resolve) => {
      let settled = false;
      const settle = (result: Transport) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(result);
      };
      const req = request(this.url, {
        method: 'POST',
        agent: this.agent,
        headers: {
          'Content-Type': 'text/xml; charset=utf-8',
          'Content-Length': body.length,
          SOAPAction: '""',
        },
      });
      const timer = setTimeout(() => {
        settle({
          ok: false,
          retryable: true,
          code: 'DUO_TIMEOUT',
          reason: `no answer within ${this.timeoutMs} ms`,
        });
        req.destroy();
      }, this.timeoutMs);
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_ANSWER_BYTES) {
            settle({
              ok: false,
              retryable: false,
              code: 'DUO_RESPONSE_TOO_LARGE',
              reason: 'answer exceeds 4 MiB',
            });
            req.destroy();
          } else chunks.push(chunk);
        });
        res.on('end', () =>
          settle({
            ok: true,
            answer: { status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') },
          }),
        );
        res.on('error', (error) => settle(networkFailure(error)));
      });
      req.on('error', (error) => settle(networkFailure(error)));
      req.end(body);
    });
  }
}

function networkFailure(error: Error & { code?: string }): Transport {
  const code = error.code ?? '';
  if (TLS_ERROR.test(code))
    return {
      ok: false,
      retryable: false,
      code: 'DUO_TLS',
      reason: `TLS handshake or certificate refused (${code})`,
    };
  if (RETRYABLE_NETWORK.has(code))
    return { ok: false, retryable: true, code: 'DUO_CONNECTION', reason: `connection failed (${code})` };
  return {
    ok: false,
    retryable: true,
    code: 'DUO_CONNECTION',
    reason: `connection failed (${code || 'unknown'})`,
  };
}

/** HTTP status without a DUO answer in the body: 5xx, 408 and 429 retryable, any other status permanent. */
function httpFailure(status: number): { ok: false; retryable: boolean; code: string; reason: string } {
  const retryable = status >= 500 || status === 408 || status === 429;
  return { ok: false, retryable, code: `DUO_HTTP_${status}`, reason: `DUO answered HTTP ${status}` };
}

function failure(code: string, reason: string, retryable: boolean): DomainError {
  return retryable
    ? new UnavailableError(code, reason)
    : new DomainError(code, 'internal', reason, [], false);
}
