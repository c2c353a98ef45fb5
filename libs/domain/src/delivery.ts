import type { RecipientKind, ReportKind } from './disclosure.js';

// Outbound delivery of approved reports (contracts §7) to the chain: DUO's register (ROD) and municipal
// leerplicht. A delivery is one report × one destination; connectors format, secure and send it.

/** Where a report goes. DUO routes it on to the woongemeente; LEERPLICHT is the direct, structured route. */
export const DESTINATIONS = ['DUO', 'LEERPLICHT'] as const;
export type Destination = (typeof DESTINATIONS)[number];

/**
 * What a delivery asks of the destination: register a new report, change one already registered (a later
 * end date, corrected hours: DUO `MutatieMeldingRelatiefVerzuim`) or withdraw it (Ingetrokken).
 */
export const DELIVERY_OPERATIONS = ['REGISTER', 'UPDATE', 'WITHDRAW'] as const;
export type DeliveryOperation = (typeof DELIVERY_OPERATIONS)[number];

/** The municipality's closing reasons (Besluit Verzuimmelding; absence-law.md §2.2), seven in all. */
export const CLOSING_REASONS = [
  'TERUG_NAAR_SCHOOL',
  'INSCHRIJVING_BEEINDIGD_ANDERE_OPLEIDING',
  'INSCHRIJVING_BEEINDIGD_WERK',
  'INSCHRIJVING_BEEINDIGD_OVERIGE_REDENEN',
  'LEERLING_OVERLEDEN',
  'GEEN_VERZUIM_LANGDURIG_ZIEK',
  'GEEN_VERZUIM_LEGITIEM_AFWEZIG',
] as const;
export type ClosingReason = (typeof CLOSING_REASONS)[number];

/** The municipality's closing explanations (absence-law.md §2.2), three in all. */
export const CLOSING_EXPLANATIONS = [
  'LEERLING_GEZIEN_DOOR_GEMEENTE',
  'ACTIE_RICHTING_LEERLING',
  'GEEN_ACTIE_MEER',
] as const;
export type ClosingExplanation = (typeof CLOSING_EXPLANATIONS)[number];

/** Statuses a destination reports back (absence-law.md §2.3), in the report lifecycle of contracts §7. */
export const EXTERNAL_STATUSES = [
  'REGISTERED',
  'IN_BEHANDELING',
  'AFGESLOTEN',
  'TER_KENNISGEVING_AANGENOMEN',
  'WITHDRAWN',
] as const;
export type ExternalStatus = (typeof EXTERNAL_STATUSES)[number];

/** Everything a connector needs besides the released fields. References only, no personal data. */
export interface OutboundContext {
  /**
   * Derived from the report, destination and operation, never random; the same on every retry. DUO: the
   * WS-Addressing `wsa:MessageID`; leerplicht: the `Idempotency-Key` header and the report's `jti`.
   */
  readonly idempotencyKey: string;
  readonly operation: DeliveryOperation;
  /** ketenpoort's report id (for UPDATE/WITHDRAW: the id of the report first registered). */
  readonly reportId: string;
  readonly reportKind: ReportKind;
  readonly board: string;
  readonly school: string;
  /** The destination's reference from the first registration (DUO's report number); null for REGISTER. */
  readonly externalRef: string | null;
  /** DUO: its organisation identifier (OIN); LEERPLICHT: the 4-digit CBS code of the receiving municipality. */
  readonly recipient: { readonly kind: RecipientKind; readonly id: string };
  /** 1 for the first attempt. */
  readonly attempt: number;
  readonly sentAt: Date;
}

/**
 * The released fields as a connector reads them. `ReleasedPayload` of the privacy engine has this shape; a
 * connector's own API names `ReleasedPayload` itself (a type-only import), so only the engine can feed it.
 */
export interface ReleasedFields {
  readonly paths: readonly string[];
  has(path: string): boolean;
  get(path: string): unknown;
}

/** The answer of one send. Connectors return failures (coded, classified); they throw only on bugs. */
export type SendResult =
  | {
      readonly ok: true;
      /** DUO's report number; for leerplicht the municipality's reference, or null. */
      readonly externalRef: string | null;
      /** REGISTERED when the destination confirmed registration, SENT when it only took the message in. */
      readonly status: 'SENT' | 'REGISTERED' | 'WITHDRAWN';
    }
  | {
      readonly ok: false;
      /** true: try again later (timeouts, 5xx, connection refused); false: a person must look (validation). */
      readonly retryable: boolean;
      /** e.g. DUO_TIMEOUT, DUO_HTTP_503, DUO_VALIDATION, LEERPLICHT_HTTP_400. */
      readonly code: string;
      /** The destination's own explanation (no personal data), shown to school staff for permanent errors. */
      readonly reason: string;
    };

/** One status change a destination reports back. */
export interface StatusChange {
  /** The destination's reference (DUO report number) or, for leerplicht, ketenpoort's report id. */
  readonly externalRef: string;
  readonly status: ExternalStatus;
  /** ISO 8601 instant of the change at the destination. */
  readonly at: string;
  readonly closingReason?: ClosingReason;
  readonly closingExplanation?: ClosingExplanation;
  /** The municipal contact person (leerplichtambtenaar) as the destination names them. */
  readonly contact?: string;
}

/** One destination's connector. `P` is the payload type it accepts: `ReleasedPayload` in production. */
export interface ReportConnector<P extends ReleasedFields = ReleasedFields> {
  readonly destination: Destination;
  send(context: OutboundContext, payload: P): Promise<SendResult>;
  /**
   * Status changes since a moment (exclusive), oldest first, and the moment to ask from next time. Push
   * destinations (status arrives through the gateway's API) answer `{ changes: [], until: since }`.
   * Failures throw a coded DomainError with `retryable` set.
   */
  fetchStatusChanges(since: Date): Promise<{ readonly changes: StatusChange[]; readonly until: Date }>;
}

/**
 * The leerplicht inbox a municipality fetches from (`GET /v1/leerplicht/{gemeentecode}/reports`): the
 * connector stores the signed and encrypted report there instead of pushing it.
 */
export interface LeerplichtInboxWriter {
  /** Idempotent on `idempotencyKey`: storing the same delivery twice keeps one entry. */
  put(entry: {
    readonly gemeentecode: string;
    readonly reportId: string;
    readonly board: string;
    readonly idempotencyKey: string;
    /** Compact JWE (the signed report encrypted to the municipality's key). */
    readonly jwe: string;
    readonly at: Date;
  }): Promise<void>;
}
