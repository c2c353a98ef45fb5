import type { Logger } from 'pino';
import { type DuoProfile, DuoRodConnector } from '#connector-duo-rod';
import {
  type Clock,
  type OutboundContext,
  type ReportConnector,
  type SendResult,
  type SendingParty,
  type SendingPartyStore,
  type StatusChange,
  certificateState,
  dutchDay,
  partyForSchool,
} from '#domain';
import type { ReleasedPayload } from '#privacy';
import { safeError } from './logger.js';
import { RUNTIME_ERRORS } from './runtime-error-codes.js';

/** What every DUO connection shares, whoever sends: DUO's OIN, its trust anchor, the profile. */
export interface DuoDefaults {
  /** DUO_ENDPOINT_URL: where a sending party without an endpoint of its own sends; null: none. */
  readonly endpoint: string | null;
  readonly duoOin: string;
  /** DUO_CA (PEM): DUO's server certificate and answer signatures are checked against it. */
  readonly ca: string;
  readonly profile: DuoProfile;
  readonly timeoutMs: number;
}

/** One status feed: DUO asked with one identity, the changes applied to that identity's board. */
export interface DuoStatusFeed {
  /** The cursor's name: `duo-status` for the settings identity, `duo-status:<party id>` per sending party. */
  readonly cursor: string;
  /** The board whose reports the feed may touch; null: any (the settings identity). */
  readonly board: string | null;
  readonly connector: Pick<ReportConnector, 'destination' | 'fetchStatusChanges'>;
}

type Identity =
  | { readonly kind: 'connector'; readonly connector: DuoRodConnector }
  | { readonly kind: 'hold'; readonly code: string; readonly reason: string };

const DAY_MS = 86_400_000;

/**
 * The DUO destination for a deployment with one identity per sending party (ADR 0014). Each send is made with
 * the identity of the party of the delivery's OWN board that sends for the delivery's school — its certificate
 * for TLS and for the signature, its OIN in wsa:From — and with no other: a board that has sending parties
 * never falls back to another identity. A board without any uses the settings identity (DUO_CLIENT_CERT /
 * SCHOOL_OIN), the single-board shortcut. No identity, an expired or not yet valid certificate: the delivery
 * is held (nothing sent, the attempt not counted) with a Dutch reason, until a board administrator fixes it.
 */
export class DuoSendingPartyConnector implements ReportConnector<ReleasedPayload> {
  readonly destination = 'DUO' as const;
  private readonly connectors = new Map<
    string,
    { readonly key: string; readonly connector: DuoRodConnector }
  >();
  private readonly warned = new Map<string, number>();

  constructor(
    private readonly parties: SendingPartyStore | null,
    private readonly fallback: DuoRodConnector | null,
    private readonly defaults: DuoDefaults,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  async send(context: OutboundContext, payload: ReleasedPayload): Promise<SendResult> {
    const identity = await this.identityFor(context.board, context.school);
    if (identity.kind === 'hold')
      return { ok: false, retryable: true, hold: true, code: identity.code, reason: identity.reason };
    return identity.connector.send(context, payload);
  }

  /** The settings identity's status feed (a router has none of its own; see `feeds`). */
  async fetchStatusChanges(since: Date): Promise<{ readonly changes: StatusChange[]; readonly until: Date }> {
    if (this.fallback === null) return { changes: [], until: since };
    return this.fallback.fetchStatusChanges(since);
  }

  /** One feed per identity in use: the settings identity, and every sending party with a valid certificate. */
  async feeds(): Promise<DuoStatusFeed[]> {
    const feeds: DuoStatusFeed[] = [];
    if (this.fallback !== null) feeds.push({ cursor: 'duo-status', board: null, connector: this.fallback });
    for (const party of this.parties ? await this.parties.all() : []) {
      const identity = await this.identityOf(party);
      if (identity.kind === 'connector')
        feeds.push({ cursor: `duo-status:${party.id}`, board: party.board, connector: identity.connector });
    }
    return feeds;
  }

  /** Logs a warning for every certificate within 30 days of expiry or past it (codes, names and dates only). */
  async warnExpiring(): Promise<number> {
    if (this.parties === null) return 0;
    let warnings = 0;
    for (const party of await this.parties.all()) if (this.warnIfExpiring(party, true)) warnings++;
    return warnings;
  }

  close(): void {
    for (const { connector } of this.connectors.values()) connector.close();
    this.connectors.clear();
    this.fallback?.close();
  }

  private async identityFor(board: string, school: string): Promise<Identity> {
    const parties = this.parties ? await this.parties.list(board) : [];
    const party = partyForSchool(parties, board, school);
    if (party !== null) return this.identityOf(party);
    if (parties.length > 0)
      return {
        kind: 'hold',
        code: RUNTIME_ERRORS.SENDING_PARTY_MISSING,
        reason:
          `Geen verzendende partij (PKIoverheid-certificaat en OIN) ingesteld voor school ${school}; ` +
          'de melding wacht tot een bestuursbeheerder die instelt.',
      };
    if (this.fallback !== null) return { kind: 'connector', connector: this.fallback };
    return {
      kind: 'hold',
      code: RUNTIME_ERRORS.DUO_NOT_CONFIGURED,
      reason: 'Er is geen verbinding met DUO ingesteld; de melding wacht tot die er is.',
    };
  }

  private async identityOf(party: SendingParty): Promise<Identity> {
    const now = this.clock.now();
    const { state } = certificateState(party.certificate, now);
    if (state === 'EXPIRED')
      return {
        kind: 'hold',
        code: RUNTIME_ERRORS.SENDING_PARTY_CERTIFICATE_EXPIRED,
        reason:
          `Het PKIoverheid-certificaat van ${party.name} is op ${dutchDay(party.certificate.notAfter)} verlopen; ` +
          'de melding wacht tot een nieuw certificaat is geüpload.',
      };
    if (state === 'NOT_YET_VALID')
      return {
        kind: 'hold',
        code: RUNTIME_ERRORS.SENDING_PARTY_CERTIFICATE_NOT_YET_VALID,
        reason:
          `Het PKIoverheid-certificaat van ${party.name} is pas geldig vanaf ` +
          `${dutchDay(party.certificate.notBefore)}; de melding wacht tot dan.`,
      };
    this.warnIfExpiring(party, false);
    const endpoint = party.endpoint ?? this.defaults.endpoint;
    if (endpoint === null)
      return {
        kind: 'hold',
        code: RUNTIME_ERRORS.DUO_NOT_CONFIGURED,
        reason: `Voor ${party.name} is geen DUO-adres ingesteld (DUO_ENDPOINT_URL); de melding wacht.`,
      };
    const key = `${party.certificate.fingerprint}|${endpoint}|${party.oin}`;
    const cached = this.connectors.get(party.id);
    if (cached?.key === key) return { kind: 'connector', connector: cached.connector };
    const material = await this.parties!.material(party.board, party.id);
    if (material === null)
      return {
        kind: 'hold',
        code: RUNTIME_ERRORS.SENDING_PARTY_MISSING,
        reason: `${party.name} bestaat niet meer.`,
      };
    let connector: DuoRodConnector;
    try {
      connector = new DuoRodConnector({
        endpoint,
        duoOin: this.defaults.duoOin,
        senderOin: party.oin,
        party: party.id,
        tls: { cert: material.certPem, key: material.keyPem, ca: this.defaults.ca },
        profile: this.defaults.profile,
        timeoutMs: this.defaults.timeoutMs,
        clock: this.clock,
      });
    } catch (error) {
      this.logger.warn({ err: safeError(error), party: party.id }, 'sending party cannot be used');
      return {
        kind: 'hold',
        code: RUNTIME_ERRORS.SENDING_PARTY_UNUSABLE,
        reason: `Het certificaat van ${party.name} kan niet gebruikt worden; upload het opnieuw.`,
      };
    }
    cached?.connector.close();
    this.connectors.set(party.id, { key, connector });
    return { kind: 'connector', connector };
  }

  /** At most one warning a day per party while sending; always when `force` (the daily watch). */
  private warnIfExpiring(party: SendingParty, force: boolean): boolean {
    const now = this.clock.now();
    const { state, daysLeft } = certificateState(party.certificate, now);
    if (state !== 'EXPIRING' && state !== 'EXPIRED') return false;
    const last = this.warned.get(party.id) ?? Number.NEGATIVE_INFINITY;
    if (!force && now.getTime() - last < DAY_MS) return false;
    this.warned.set(party.id, now.getTime());
    this.logger.warn(
      {
        code:
          state === 'EXPIRED'
            ? RUNTIME_ERRORS.SENDING_PARTY_CERTIFICATE_EXPIRED
            : RUNTIME_ERRORS.SENDING_PARTY_CERTIFICATE_EXPIRING,
        board: party.board,
        party: party.id,
        notAfter: party.certificate.notAfter,
        daysLeft,
      },
      state === 'EXPIRED'
        ? 'sending party certificate expired: its DUO deliveries are held'
        : 'sending party certificate expires within 30 days',
    );
    return true;
  }
}
