import type { JWK } from 'jose';
import {
  type Clock,
  DomainError,
  type LeerplichtInboxWriter,
  type LeerplichtRoutingFields,
  ageGroupOn,
  type OutboundContext,
  type ReportConnector,
  type SendResult,
  type StatusChange,
  ValidationError,
} from '#domain';
import type { ReleasedPayload } from '#privacy';
import { type LeerplichtSigningKey, encryptForRecipient, signLeerplichtReport } from './jose-profile.js';
import { type LeerplichtReportV1, buildLeerplichtReport } from './report.js';
import { LEERPLICHT_ERRORS } from './leerplicht-error-codes.js';

/** Where one recipient (CBS code or body id) takes its reports; from the routing table. */
export interface LeerplichtEndpointInfo {
  readonly channel: 'webhook' | 'inbox' | 'none';
  readonly webhookUrl?: string;
  readonly publicJwk?: JWK;
}

export interface LeerplichtConnectorOptions {
  readonly signingKey: LeerplichtSigningKey;
  /** The recipient's endpoint (context.recipient.id); null when it has none. */
  endpointOf(recipientId: string): LeerplichtEndpointInfo | null | Promise<LeerplichtEndpointInfo | null>;
  readonly inbox: LeerplichtInboxWriter;
  /** Deadline of one webhook POST, response included. */
  readonly timeoutMs: number;
  readonly fetch?: typeof fetch;
  readonly clock?: Clock;
}

const MAX_REASON = 300;

/**
 * Delivers a report directly to leerplicht or a Doorstroompunt: builds the structured report from the
 * released fields, signs it (JWS, jti = idempotency key), encrypts it to the recipient (JWE), and either
 * stores it in the gateway's inbox or POSTs it to the recipient's webhook. One attempt per `send`; the
 * dispatcher owns retries. Status comes back through ketenpoort's own API, so `fetchStatusChanges` is empty.
 */
export class LeerplichtConnector implements ReportConnector<ReleasedPayload> {
  readonly destination = 'LEERPLICHT' as const;
  private readonly fetchFn: typeof fetch;

  constructor(private readonly options: LeerplichtConnectorOptions) {
    this.fetchFn = options.fetch ?? globalThis.fetch;
  }

  async send(context: OutboundContext, payload: ReleasedPayload): Promise<SendResult> {
    const endpoint = await this.options.endpointOf(context.recipient.id);
    if (endpoint === null || endpoint.channel === 'none') {
      return permanent(
        LEERPLICHT_ERRORS.LEERPLICHT_NO_ENDPOINT,
        'Voor deze ontvanger is geen rechtstreeks leerplichtkanaal ingesteld.',
      );
    }
    if (endpoint.publicJwk === undefined) {
      return permanent(
        LEERPLICHT_ERRORS.LEERPLICHT_NO_RECIPIENT_KEY,
        'Van deze ontvanger is geen versleutelsleutel bekend.',
      );
    }
    if (endpoint.channel === 'webhook' && endpoint.webhookUrl === undefined) {
      return permanent(
        LEERPLICHT_ERRORS.LEERPLICHT_NO_ENDPOINT,
        'Voor deze ontvanger is geen webhook-adres ingesteld.',
      );
    }
    let jwe: string;
    let routing: LeerplichtRoutingFields;
    try {
      const report = buildLeerplichtReport(context, payload);
      routing = routingFieldsOf(report);
      const jws = await signLeerplichtReport(report, this.options.signingKey, context.idempotencyKey);
      jwe = await encryptForRecipient(jws, endpoint.publicJwk);
    } catch (error) {
      if (error instanceof ValidationError) {
        const fields = error.issues.map((i) => i.field).join(', ');
        return permanent(error.code, `Melding kan niet worden opgemaakt${fields ? ` (${fields})` : ''}.`);
      }
      throw error;
    }
    return endpoint.channel === 'inbox'
      ? this.toInbox(context, jwe, routing)
      : this.toWebhook(context, endpoint.webhookUrl!, jwe);
  }

  fetchStatusChanges(since: Date): Promise<{ readonly changes: StatusChange[]; readonly until: Date }> {
    return Promise.resolve({ changes: [], until: since });
  }

  private async toInbox(
    context: OutboundContext,
    jwe: string,
    routing: LeerplichtRoutingFields,
  ): Promise<SendResult> {
    try {
      await this.options.inbox.put({
        gemeentecode: context.recipient.id,
        reportId: context.reportId,
        board: context.board,
        idempotencyKey: context.idempotencyKey,
        jwe,
        at: this.options.clock?.now() ?? context.sentAt,
        routing,
      });
    } catch (error) {
      if (error instanceof DomainError) {
        return {
          ok: false,
          retryable: error.retryable,
          code: error.code,
          reason: 'De leerplicht-inbox nam de melding niet aan.',
        };
      }
      return {
        ok: false,
        retryable: true,
        code: LEERPLICHT_ERRORS.LEERPLICHT_INBOX_UNAVAILABLE,
        reason: 'De leerplicht-inbox is niet bereikbaar.',
      };
    }
    return { ok: true, status: 'SENT', externalRef: null };
  }

  private async toWebhook(context: OutboundContext, url: string, jwe: string): Promise<SendResult> {
    let response: Response;
    let body: string;
    try {
      response = await this.fetchFn(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/jose',
          accept: 'application/json',
          'idempotency-key': context.idempotencyKey,
        },
        body: jwe,
        redirect: 'error',
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
      body = await response.text();
    } catch (error) {
      const name = (error as { name?: string } | null)?.name;
      if (name === 'TimeoutError' || name === 'AbortError') {
        return {
          ok: false,
          retryable: true,
          code: LEERPLICHT_ERRORS.LEERPLICHT_TIMEOUT,
          reason: 'De gemeente antwoordde niet op tijd.',
        };
      }
      return {
        ok: false,
        retryable: true,
        code: LEERPLICHT_ERRORS.LEERPLICHT_UNREACHABLE,
        reason: 'De gemeente is niet bereikbaar.',
      };
    }
    const status = response.status;
    const answer = parseAnswer(body);
    if ((status >= 200 && status < 300) || status === 409) {
      return { ok: true, status: 'SENT', externalRef: answer.reference ?? null };
    }
    const code = `LEERPLICHT_HTTP_${status}`;
    const reason = answer.reason ?? `De gemeente antwoordde met HTTP ${status}.`;
    if (status === 408 || status === 429 || status >= 500)
      return { ok: false, retryable: true, code, reason };
    return permanent(code, reason);
  }
}

/**
 * The few fields of a report the inbox keeps in clear beside the ciphertext (ADR 0023): kind, period, school,
 * operation and the age group — never the pupil's name, BSN, birth date, address or the school's free text.
 */
export function routingFieldsOf(report: LeerplichtReportV1): LeerplichtRoutingFields {
  return {
    operation: report.operation,
    kind: report.kind,
    school: report.school.id,
    locationName: report.school.locationName ?? null,
    periodBegin: report.absence?.beginDate ?? null,
    periodEnd: report.absence?.endDate ?? null,
    ageGroup: ageGroupOn(report.pupil?.birthDate, report.issuedAt.slice(0, 10)),
  };
}

function permanent(code: string, reason: string): SendResult {
  return { ok: false, retryable: false, code, reason };
}

/** The receiver's JSON answer: `reference` (its own id) and `reason` (why it refused). Digits runs are masked. */
function parseAnswer(body: string): { reference?: string; reason?: string } {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return {};
  }
  if (typeof value !== 'object' || value === null) return {};
  const record = value as Record<string, unknown>;
  const clean = (v: unknown): string | undefined =>
    typeof v === 'string' && v.trim() !== '' ? v.replace(/\d{8,}/g, '…').slice(0, MAX_REASON) : undefined;
  const reference =
    typeof record['reference'] === 'string' && record['reference'] !== ''
      ? record['reference'].slice(0, 200)
      : undefined;
  const reason = clean(record['reason']) ?? clean(record['message']);
  return { ...(reference !== undefined ? { reference } : {}), ...(reason !== undefined ? { reason } : {}) };
}
