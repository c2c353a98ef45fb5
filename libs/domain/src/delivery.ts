import type { Report, ReportFieldValue, ReportStatus } from './report.js';
import type { Pupil } from './pupil.js';
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
      /** The identity the message travelled under (DUO: the sending party and its OIN), for the audit entry. */
      readonly sentBy?: { readonly party: string; readonly oin: string };
    }
  | {
      readonly ok: false;
      /** true: try again later (timeouts, 5xx, connection refused); false: a person must look (validation). */
      readonly retryable: boolean;
      /** e.g. DUO_TIMEOUT, DUO_HTTP_503, DUO_VALIDATION, LEERPLICHT_HTTP_400. */
      readonly code: string;
      /** The destination's own explanation (no personal data), shown to school staff for permanent errors. */
      readonly reason: string;
      /**
       * Nothing was sent because ketenpoort cannot send for this sender yet (no sending party, an expired
       * certificate): the delivery waits without using up its attempts until a person fixes it (ADR 0014).
       */
      readonly hold?: boolean;
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

/**
 * Report fields the report itself does not hold but a destination expects (DUO's education fields, the school's
 * contact person, the woongemeente): from the pupil registry and the school's sending party (ADR 0014). The
 * dispatcher merges them under the report's own fields before the privacy decision.
 */
export interface ReportFieldSource {
  fieldsFor(board: string, school: string, pupil: Pupil): Promise<Readonly<Record<string, ReportFieldValue>>>;
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
  /** Releases kept-alive connections (on shutdown). */
  close?(): void;
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
    /** The few fields kept in clear beside the ciphertext, to list and filter the inbox (ADR 0023). */
    readonly routing?: LeerplichtRoutingFields;
  }): Promise<void>;
}

/**
 * What the inbox keeps in clear beside the ciphertext (ADR 0023): no name, no BSN, no birth date, no address,
 * no free text — the report's kind, period, school, operation and the pupil's age group only.
 */
export interface LeerplichtRoutingFields {
  readonly operation: DeliveryOperation;
  readonly kind: ReportKind;
  /** The school's id (BRIN + vestiging) and location name, as the school publishes them. */
  readonly school: string;
  readonly locationName: string | null;
  readonly periodBegin: string | null;
  readonly periodEnd: string | null;
  /** MINDERJARIG / MEERDERJARIG on the report date, or null when the birth date was not released. */
  readonly ageGroup: 'MINDERJARIG' | 'MEERDERJARIG' | null;
}

// ---- the delivery pipeline (ADR 0011) ---------------------------------------------------------------------

/** Written with the approval, in the same transaction as the report's status (architecture §5). */
export const REPORT_APPROVED = { type: 'reports.approved', version: 1 } as const;
export interface ReportApprovedV1 {
  readonly board: string;
  readonly reportId: string;
}

/** A delivery whose next attempt is due (first attempt after a crash, a retry, a replay). References only. */
export const DELIVERY_DUE = { type: 'reports.delivery-due', version: 1 } as const;
export interface DeliveryDueV1 {
  readonly deliveryId: string;
  /** The attempt this message asks for (attempts made so far + 1); a stale message is ignored. */
  readonly attempt: number;
}

/**
 * PENDING: planned, first attempt not made yet · SENDING: an attempt is running (leased) · RETRY_WAIT: a transient
 * failure, the next attempt is due at `nextAttemptAt` · DELIVERED: the destination took it · REJECTED: a permanent
 * error, in the school staff's work queue · DEAD: retries exhausted, in the dead-letter queue · SKIPPED: no
 * direct channel to that recipient (DUO still routes the report to the woongemeente).
 */
export const DELIVERY_STATUSES = [
  'PENDING',
  'SENDING',
  'RETRY_WAIT',
  'DELIVERED',
  'REJECTED',
  'DEAD',
  'SKIPPED',
] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export interface Delivery {
  readonly id: string;
  readonly board: string;
  readonly school: string;
  /** The report (row) this delivery sends: for UPDATE/WITHDRAW the correction or withdrawal report. */
  readonly reportId: string;
  readonly destination: Destination;
  readonly operation: DeliveryOperation;
  readonly recipient: { readonly kind: RecipientKind; readonly id: string };
  readonly idempotencyKey: string;
  readonly status: DeliveryStatus;
  /** Attempts started so far. */
  readonly attempts: number;
  readonly nextAttemptAt: string | null;
  readonly externalRef: string | null;
  readonly lastError: { readonly code: string; readonly reason: string } | null;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly deliveredAt: string | null;
}

export interface PlannedDelivery {
  readonly destination: Destination;
  readonly operation: DeliveryOperation;
  readonly recipient: { readonly kind: RecipientKind; readonly id: string };
  readonly idempotencyKey: string;
  /** SKIPPED when the route has no direct channel, with the Dutch explanation as `reason`. */
  readonly skipped?: { readonly code: string; readonly reason: string };
}

/** What the school sees of a report's way through the chain (one row per change). */
export interface ReportStatusChange {
  readonly reportId: string;
  readonly status: string;
  readonly at: string;
  readonly source: Destination | 'KETENPOORT';
  readonly closingReason: ClosingReason | null;
  readonly closingExplanation: ClosingExplanation | null;
  readonly contact: string | null;
  /** Code + Dutch reason for REJECTED / DEAD; null otherwise. */
  readonly detail: string | null;
}

/**
 * What the school may see of one status change from the chain, after the privacy engine decided on it (ADR 0026):
 * the released `feedback.*` paths and the values of those released (null when withheld). The report's lifecycle
 * status moves either way; without `feedback.status` the change is left out of the school's history.
 */
export interface SchoolFeedback {
  readonly released: readonly string[];
  readonly closingReason: ClosingReason | null;
  readonly closingExplanation: ClosingExplanation | null;
  readonly contact: string | null;
}

/** Nothing for the school (no policy that holds, or no pupil to decide on): the lifecycle moves, nothing is shown. */
export const NO_SCHOOL_FEEDBACK: SchoolFeedback = {
  released: [],
  closingReason: null,
  closingExplanation: null,
  contact: null,
};

/**
 * A history row as stored: with the `feedback.*` paths released to the school for a status from the chain; null
 * for ketenpoort's own rows and rows written before ADR 0026 (shown to the school as they are).
 */
export interface StoredStatusChange extends ReportStatusChange {
  readonly schoolFields: readonly string[] | null;
}

/**
 * The school's view of a report's history: rows from the chain show only what the privacy engine released to the
 * school (withheld values null); a row whose status was withheld is left out.
 */
export function schoolHistoryOf(history: readonly StoredStatusChange[]): ReportStatusChange[] {
  const out: ReportStatusChange[] = [];
  for (const { schoolFields, ...row } of history) {
    if (schoolFields === null) {
      out.push(row);
      continue;
    }
    if (!schoolFields.includes('feedback.status')) continue;
    out.push({
      ...row,
      closingReason: schoolFields.includes('feedback.closingReason') ? row.closingReason : null,
      closingExplanation: schoolFields.includes('feedback.closingExplanation')
        ? row.closingExplanation
        : null,
      contact: schoolFields.includes('feedback.contact') ? row.contact : null,
    });
  }
  return out;
}

export type DeliveryFailureOutcome = 'RETRY_WAIT' | 'REJECTED' | 'DEAD';

export interface DeliveryFilter {
  readonly board: string;
  /** null: every school of the board. */
  readonly schools: readonly string[] | null;
  readonly statuses: readonly DeliveryStatus[];
  readonly limit: number;
}

export const DELIVERY_STORE = Symbol('DeliveryStore');
/**
 * Deliveries, their reports and the status history as the dispatcher and the school read them. Changes go through
 * the unit of work (`UnitOfWork`, ADR 0032): the use cases decide the moves, what is emitted and what is audited.
 */
export interface DeliveryStore {
  /** The report (any status), board-wide: the dispatcher acts for the board, not for a person. */
  report(board: string, reportId: string): Promise<Report | null>;
  ofReport(board: string, reportId: string): Promise<Delivery[]>;
  find(deliveryId: string): Promise<Delivery | null>;
  /**
   * The delivery that registered `externalRef` at the destination (DUO's report number); with `board`, only that
   * board's (a sending party's status feed lists that party's reports only).
   */
  findByExternalRef(destination: Destination, externalRef: string, board?: string): Promise<Delivery | null>;
  /**
   * Whether any delivery is due at `at` (one cheap read before a unit of work is opened: the sweep runs every
   * second, and on the embedded database an open transaction holds every other connection).
   */
  anyDue(at: Date): Promise<boolean>;
  list(filter: DeliveryFilter): Promise<Delivery[]>;
  /** Every row, in full (the officer's view reads the chain's rows); the school reads `schoolHistoryOf` of it. */
  history(board: string, reportId: string): Promise<StoredStatusChange[]>;
  /** Where a status feed left off (e.g. `duo-status`). */
  cursor(name: string): Promise<Date | null>;
  setCursor(name: string, at: Date): Promise<void>;
  /** Counts per delivery status (for health and the demo summary). */
  counts(board: string | null): Promise<Record<DeliveryStatus, number>>;
}

/**
 * The only way a clear-text BSN leaves the pupil registry: for a report being sent, after the privacy
 * engine's decision on the recipient. Never logged, never stored elsewhere.
 */
export interface PersonalNumberSource {
  /** The decrypted BSN, or null when none is on file (or the pupil is gone). */
  /** `administration`: the pupil's (ADR 0017), so two schools' children of one number never swap numbers. */
  bsnOf(board: string, localId: string, administration?: string): Promise<string | null>;
}

export interface LeerplichtInboxItem {
  readonly reportId: string;
  /** Compact JWE: the signed report encrypted to the municipality's key. */
  readonly jwe: string;
  readonly storedAt: string;
  /** Routing fields in clear (ADR 0023); null on entries stored before they existed. */
  readonly operation?: DeliveryOperation | null;
  readonly kind?: ReportKind | null;
  readonly school?: string | null;
  readonly locationName?: string | null;
  readonly periodBegin?: string | null;
  readonly periodEnd?: string | null;
  readonly ageGroup?: 'MINDERJARIG' | 'MEERDERJARIG' | null;
  /** Where the report stands: the furthest point DUO's status feed and the officer's channel reached. */
  readonly status?: ReportStatus | null;
  readonly statusAt?: string | null;
}

/** Filters on the inbox (all optional, combined with AND). */
export interface LeerplichtInboxFilter {
  readonly school?: string;
  readonly kind?: ReportKind;
  readonly status?: ReportStatus;
  readonly receivedFrom?: Date;
  readonly receivedTo?: Date;
  readonly ageGroup?: 'MINDERJARIG' | 'MEERDERJARIG';
}

/** The officer's decision and notes: a JWE the browser encrypted to the municipality's key; never decrypted here. */
export interface LeerplichtCaseNote {
  readonly id: string;
  readonly reportId: string;
  readonly jwe: string;
  /** The officer's subject (not a name). */
  readonly officer: string;
  readonly createdAt: string;
}

/** The inbox as the gateway reads it for a municipality (or regional body) and maps an officer's status. */
export interface LeerplichtInboxReader {
  /** Oldest first, stored after `since` (exclusive). */
  list(
    gemeentecode: string,
    since: Date | null,
    limit: number,
    filter?: LeerplichtInboxFilter,
  ): Promise<LeerplichtInboxItem[]>;
  /** The delivery of `reportId` to that recipient (webhook or inbox), or null. */
  deliveryOf(gemeentecode: string, reportId: string): Promise<string | null>;
  /** Every inbox entry of one report for that recipient (first report, corrections, withdrawal), oldest first. */
  entries(gemeentecode: string, reportId: string): Promise<LeerplichtInboxItem[]>;
  addCaseNote(note: {
    readonly gemeentecode: string;
    readonly reportId: string;
    readonly jwe: string;
    readonly officer: string;
    readonly at: Date;
  }): Promise<LeerplichtCaseNote>;
  caseNotes(gemeentecode: string, reportId: string): Promise<LeerplichtCaseNote[]>;
}

/** A board's chain at a glance: what came in, what was raised, where every report stands, what was disclosed. */
export interface BoardSummary {
  readonly board: string;
  /** The schools the counts cover: null for the whole board (privacy officer, auditor, staff of every school). */
  readonly schools: readonly string[] | null;
  readonly pupils: number;
  /** Current canonical records (deleted ones not counted). */
  readonly records: number;
  readonly signals: { readonly total: number; readonly open: number };
  /** Reports by status (contracts §7), plus how many ever got a DUO report number. */
  readonly reports: Readonly<Record<string, number>> & { readonly registeredAtDuo: number };
  readonly deliveries: Readonly<Record<DeliveryStatus, number>>;
  /** DISCLOSURE entries in the audit log. */
  readonly disclosures: number;
}

export interface BoardSummarySource {
  /** Counts of the board, of the given schools only when `schools` is not null (the caller's scope). */
  summary(board: string, schools?: readonly string[] | null): Promise<BoardSummary>;
}
