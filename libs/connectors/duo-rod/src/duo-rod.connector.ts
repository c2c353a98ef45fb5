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
import { type AnswerCheck, parseDuoAnswer, parseStatusAnswer, pemCertificates } from './answers.js';
import { formatReleasedFields, formatStatusRequest, messageIdFor } from './format.js';
import { type DuoProfile, IBG_VSV_2_PROFILE } from './profile.js';
import { type DuoSigningKey, prepareSigningKey } from './wss-sign.js';
import { DUO_ROD_ERRORS } from './duo-rod-error-codes.js';

export interface DuoTlsMaterial {
  /** The sending party's PKIoverheid certificate (PEM, chain allowed: the leaf first). */
  readonly cert: string;
  /** Its private key (PEM, RSA): the same key signs the messages. */
  readonly key: string;
  /** Trust anchor(s) for DUO's server certificate and DUO's answer signatures (PEM). */
  readonly ca: string;
  readonly passphrase?: string;
}

export interface DuoRodConnectorOptions {
  /** The ROD service URL (https). */
  readonly endpoint: string;
  readonly duoOin: string;
  /** The sending party's OIN (wsa:From); its certificate carries the same. */
  readonly senderOin: string;
  /** The sending party's id, recorded with every send (`settings` for DUO_CLIENT_CERT / SCHOOL_OIN). */
  readonly party?: string;
  /** One identity for two-way TLS and the WS-Security signature (ADR 0014). */
  readonly tls: DuoTlsMaterial;
  /** Vocabulary and codes; default `ibg-vsv-2`. */
  readonly profile?: DuoProfile;
  /** One attempt's deadline (connect + answer); default 30 000. */
  readonly timeoutMs?: number;
  /** Default: the system clock. Used for the status request's timestamp and MessageID. */
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
 * DUO's register (ROD) over Digikoppeling WUS 2W-be-S: SOAP 1.1 with WS-Addressing, signed with WS-Security,
 * over two-way TLS, one sending party's identity for both. One attempt per `send`: the delivery dispatcher owns
 * retries, and the same idempotency key gives the same MessageID, which DUO (and the chain simulator) deduplicate
 * on. Answers are checked: wsa:RelatesTo must name our MessageID, and DUO's signature must verify where present.
 */
export class DuoRodConnector implements ReportConnector<ReleasedPayload> {
  readonly destination = 'DUO' as const;
  readonly party: string;
  private readonly profile: DuoProfile;
  private readonly timeoutMs: number;
  private readonly url: URL;
  private readonly signing: DuoSigningKey;
  private readonly caPems: readonly string[];
  private readonly agent: Agent;

  /** Throws a TypeError for an endpoint that is not https or a key that cannot sign (not RSA, not the cert's). */
  constructor(private readonly options: DuoRodConnectorOptions) {
    this.profile = options.profile ?? IBG_VSV_2_PROFILE;
    this.party = options.party ?? 'settings';
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.url = new URL(options.endpoint);
    if (this.url.protocol !== 'https:') throw new TypeError('the DUO endpoint must be https');
    const { tls } = options;
    this.signing = {
      key: tls.key,
      certificate: tls.cert,
      ...(tls.passphrase !== undefined ? { passphrase: tls.passphrase } : {}),
    };
    prepareSigningKey(this.signing);
    this.caPems = pemCertificates(tls.ca);
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
      message = formatReleasedFields(context, payload, this.messageOptions(context.sentAt));
    } catch (error) {
      if (isDomainError(error))
        return { ok: false, retryable: false, code: error.code, reason: error.message };
      throw error;
    }
    const sent = await this.post(message);
    if (!sent.ok) return sent;
    const answer = parseDuoAnswer(sent.answer.body, this.check(messageIdFor(context.idempotencyKey)));
    if (answer.kind === 'untrusted')
      return { ok: false, retryable: true, code: answer.code, reason: answer.detail };
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
    const expected =
      context.operation === 'REGISTER' ? 'DC0018LeveringNummerMeldingRelatiefVerzuim' : 'DC0001Bevestiging';
    if (answer.document !== expected)
      return {
        ok: false,
        retryable: false,
        code: DUO_ROD_ERRORS.DUO_UNPARSEABLE_RESPONSE,
        reason: `expected ${expected}, DUO answered ${answer.document}`,
      };
    return {
      ok: true,
      externalRef: answer.reportNumber ?? context.externalRef,
      status: context.operation === 'WITHDRAW' ? 'WITHDRAWN' : 'REGISTERED',
      sentBy: { party: this.party, oin: this.options.senderOin },
    };
  }

  async fetchStatusChanges(since: Date): Promise<{ readonly changes: StatusChange[]; readonly until: Date }> {
    const now = (this.options.clock ?? { now: () => new Date() }).now();
    const messageId = messageIdFor(
      `status:${this.options.senderOin}:${since.toISOString()}:${now.toISOString()}`,
    );
    const sent = await this.post(formatStatusRequest(since, messageId, { ...this.messageOptions(now), now }));
    if (!sent.ok) throw failure(sent.code, sent.reason, sent.retryable);
    const answer = parseStatusAnswer(sent.answer.body, this.check(messageId));
    if (answer.kind === 'untrusted') throw failure(answer.code, answer.detail, true);
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

  private messageOptions(now: Date) {
    return {
      duoOin: this.options.duoOin,
      senderOin: this.options.senderOin,
      profile: this.profile,
      signing: this.signing,
      now,
    };
  }

  private check(messageId: string): AnswerCheck {
    return { profile: this.profile, messageId, trust: { caPems: this.caPems, duoOin: this.options.duoOin } };
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
          code: DUO_ROD_ERRORS.DUO_TIMEOUT,
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
              code: DUO_ROD_ERRORS.DUO_RESPONSE_TOO_LARGE,
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
      code: DUO_ROD_ERRORS.DUO_TLS,
      reason: `TLS handshake or certificate refused (${code})`,
    };
  if (RETRYABLE_NETWORK.has(code))
    return {
      ok: false,
      retryable: true,
      code: DUO_ROD_ERRORS.DUO_CONNECTION,
      reason: `connection failed (${code})`,
    };
  return {
    ok: false,
    retryable: true,
    code: DUO_ROD_ERRORS.DUO_CONNECTION,
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
