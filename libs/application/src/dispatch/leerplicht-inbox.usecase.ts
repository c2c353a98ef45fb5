import {
  type Actor,
  CLOSING_EXPLANATIONS,
  CLOSING_REASONS,
  type Clock,
  type ClosingExplanation,
  type ClosingReason,
  type DeliveryStore,
  DomainError,
  AGE_GROUPS,
  type AgeGroup,
  type LeerplichtCaseNote,
  type LeerplichtInboxFilter,
  type LeerplichtInboxItem,
  type LeerplichtInboxReader,
  OFFICER_STATUSES,
  REPORT_KINDS,
  REPORT_STATUSES,
  REPORT_STATUS_LABELS,
  RETIRED_OFFICER_STATUSES,
  type ReportKind,
  type ReportStatus,
  STATUS_MOVE_NOT_ALLOWED,
  compactJweProblem,
  officerMove,
  NotFoundError,
  type Pseudonymise,
  type StatusChange,
  type UnitOfWork,
  ValidationError,
  requireRole,
} from '#domain';
import { applyChainStatus } from './apply-chain-status.js';
import type { SchoolFeedbackGate } from './school-feedback.js';
import { statusAudit, feedbackAudit } from './report-status-audit.js';
import { DISPATCH_ERRORS } from './dispatch-error-codes.js';

/** The codes an officer's token covers: municipalities for leerplicht, the region for a Doorstroompunt. */
function officerCodes(actor: Actor): readonly string[] {
  requireRole(
    actor,
    ['leerplicht_officer', 'doorstroompunt_officer'],
    'Only leerplicht and Doorstroompunt officers use the inbox',
  );
  return actor.role === 'leerplicht_officer' ? actor.municipalities : [actor.region];
}

function requireCode(actor: Actor, code: string): void {
  if (!officerCodes(actor).includes(code)) {
    // Another municipality's inbox looks like one that does not exist.
    throw new NotFoundError(DISPATCH_ERRORS.INBOX_NOT_FOUND, 'No inbox for this municipality in your scope');
  }
}

/**
 * The municipality's side in ketenpoort: its inbox of signed, encrypted reports, and the officer's status
 * and closing reason, which flow back to the school's report.
 */
export class LeerplichtInboxUseCase {
  constructor(
    private readonly inbox: LeerplichtInboxReader,
    private readonly store: DeliveryStore,
    private readonly unitOfWork: UnitOfWork,
    private readonly pseudonymise: Pseudonymise,
    private readonly clock: Clock,
    /** The privacy engine between the officer's status and the school (ADR 0026). */
    private readonly feedback: SchoolFeedbackGate,
  ) {}

  async list(
    actor: Actor,
    code: string,
    since: string | undefined,
    query: Readonly<Record<string, unknown>> = {},
  ): Promise<{ items: LeerplichtInboxItem[] }> {
    requireCode(actor, code);
    const from = since === undefined ? null : instantOf('since', since);
    return { items: await this.inbox.list(code, from, 500, parseInboxFilter(query)) };
  }

  /**
   * One report for the officer: its inbox entries (ciphertext + routing fields), where it stands (the furthest
   * point DUO's feed and the officer's channel reached), both histories (source DUO / LEERPLICHT) and the
   * officer's case notes (ciphertext only: the server holds no key to read them).
   */
  async report(
    actor: Actor,
    code: string,
    reportId: string,
  ): Promise<{
    reportId: string;
    status: ReportStatus | null;
    statusLabel: string | null;
    entries: LeerplichtInboxItem[];
    history: OfficerHistoryEntry[];
    caseNotes: LeerplichtCaseNote[];
  }> {
    requireCode(actor, code);
    const entries = await this.inbox.entries(code, reportId);
    const first = entries[0] as (LeerplichtInboxItem & { board?: string }) | undefined;
    if (first === undefined || first.board === undefined) {
      throw new NotFoundError(
        DISPATCH_ERRORS.REPORT_NOT_FOUND,
        'Deze melding staat niet in de inbox van deze gemeente.',
      );
    }
    const [history, caseNotes] = await Promise.all([
      this.store.history(first.board, reportId),
      this.inbox.caseNotes(code, reportId),
    ]);
    const status = entries.at(-1)?.status ?? null;
    return {
      reportId,
      status,
      statusLabel: status === null ? null : REPORT_STATUS_LABELS[status],
      entries,
      history: history
        .filter((h) => h.source === 'DUO' || h.source === 'LEERPLICHT')
        .map((h) => ({
          status: h.status,
          statusLabel: REPORT_STATUS_LABELS[h.status as ReportStatus] ?? h.status,
          at: h.at,
          source: h.source as 'DUO' | 'LEERPLICHT',
          closingReason: h.closingReason,
          closingExplanation: h.closingExplanation,
          contact: h.contact,
        })),
      caseNotes,
    };
  }

  /**
   * Stores the officer's decision and notes: a compact JWE the officer's browser encrypted to the municipality's
   * key. The server checks its shape and size and never decrypts it; it is never shown to the school.
   */
  async addCaseNote(
    actor: Actor,
    code: string,
    reportId: string,
    note: OfficerCaseNote,
  ): Promise<LeerplichtCaseNote> {
    requireCode(actor, code);
    const entries = await this.inbox.entries(code, reportId);
    if (entries.length === 0) {
      throw new NotFoundError(
        DISPATCH_ERRORS.REPORT_NOT_FOUND,
        'Deze melding staat niet in de inbox van deze gemeente.',
      );
    }
    return this.inbox.addCaseNote({
      gemeentecode: code,
      reportId,
      jwe: note.jwe,
      officer: actor.subject,
      at: this.clock.now(),
    });
  }

  async setStatus(
    actor: Actor,
    code: string,
    reportId: string,
    change: OfficerStatusChange,
  ): Promise<{ reportId: string; status: string; result: 'applied' | 'unchanged' }> {
    requireCode(actor, code);
    const deliveryId = await this.inbox.deliveryOf(code, reportId);
    const delivery = deliveryId ? await this.store.find(deliveryId) : null;
    if (delivery === null || delivery.status !== 'DELIVERED') {
      throw new NotFoundError(
        DISPATCH_ERRORS.REPORT_NOT_FOUND,
        'No report with this id was delivered to this municipality',
      );
    }
    const report = await this.store.report(delivery.board, delivery.reportId);
    if (report === null)
      throw new NotFoundError(DISPATCH_ERRORS.REPORT_NOT_FOUND, 'The report no longer exists');
    const move = officerMove(report.status, change.status);
    if (move.kind === 'refuse') throw moveRefused(report.status, change.status, move.reason);
    if (move.kind === 'repeat') return { reportId, status: change.status, result: 'unchanged' };
    const at = this.clock.now();
    const full: StatusChange = { ...change, externalRef: reportId, at: at.toISOString() };
    // What flows back to the school passes the privacy engine like every other disclosure (ADR 0026).
    const gate = await this.feedback.decide(report, full);
    const result = await applyChainStatus(
      this.unitOfWork,
      delivery.id,
      full,
      [
        statusAudit(
          delivery.board,
          await this.pseudonymise(delivery.board, report.pupil.localId, report.school),
          report.id,
          {
            status: change.status,
            source: 'LEERPLICHT',
            recipient: code,
            officer: actor.subject,
            closingReason: change.closingReason ?? null,
            closingExplanation: change.closingExplanation ?? null,
            ...feedbackAudit(gate),
          },
        ),
      ],
      at,
      gate.feedback,
    );
    if (result === 'applied' && gate.record) {
      await gate.record(`LEERPLICHT:${report.id}:${change.status}`);
    }
    if (result === 'unchanged') {
      // Another source moved the report on between the read above and this write.
      const now = await this.store.report(delivery.board, delivery.reportId);
      const current = now?.status ?? report.status;
      const again = officerMove(current, change.status);
      if (again.kind === 'refuse') throw moveRefused(current, change.status, again.reason);
    }
    return { reportId, status: change.status, result };
  }
}

/** One line of a report's history as the officer sees it: DUO's feed and the officer's channel, never the school's. */
export interface OfficerHistoryEntry {
  readonly status: string;
  readonly statusLabel: string;
  readonly at: string;
  readonly source: 'DUO' | 'LEERPLICHT';
  readonly closingReason: string | null;
  readonly closingExplanation: string | null;
  readonly contact: string | null;
}

function moveRefused(current: ReportStatus, next: string, reason: string): DomainError {
  return new DomainError(
    STATUS_MOVE_NOT_ALLOWED,
    'conflict',
    'Deze statuswijziging is niet toegestaan',
    [],
    false,
    {
      detail: reason,
      currentStatus: current,
      currentStatusLabel: REPORT_STATUS_LABELS[current],
      requestedStatus: next,
    },
  );
}

function instantOf(field: string, value: string): Date {
  const at = new Date(value);
  if (Number.isNaN(at.getTime()) || !/^\d{4}-\d{2}-\d{2}T/.test(value)) {
    throw new ValidationError(
      field === 'since' ? DISPATCH_ERRORS.SINCE_INVALID : DISPATCH_ERRORS.FILTER_INVALID,
      `${field} must be an ISO 8601 instant`,
      [{ field, code: DISPATCH_ERRORS.INVALID_INSTANT, message: 'e.g. 2026-11-28T10:00:00Z' }],
    );
  }
  return at;
}

const INBOX_FILTERS = [
  'since',
  'school',
  'kind',
  'status',
  'receivedFrom',
  'receivedTo',
  'ageGroup',
] as const;

/** The inbox's query filters, bounded: each a single short value from its list; unknown parameters refused. */
export function parseInboxFilter(query: Readonly<Record<string, unknown>>): LeerplichtInboxFilter {
  const issues: { field: string; code: string; message: string }[] = [];
  const one = (name: string): string | undefined => {
    const value = query[name];
    if (value === undefined) return undefined;
    if (typeof value !== 'string' || value.length === 0 || value.length > 64) {
      issues.push({
        field: name,
        code: DISPATCH_ERRORS.INVALID_VALUE,
        message: 'one value of at most 64 characters',
      });
      return undefined;
    }
    return value;
  };
  const oneOf = <T extends string>(name: string, allowed: readonly T[]): T | undefined => {
    const value = one(name);
    if (value === undefined) return undefined;
    if (!(allowed as readonly string[]).includes(value)) {
      issues.push({
        field: name,
        code: DISPATCH_ERRORS.UNKNOWN_VALUE,
        message: `one of ${allowed.join(', ')}`,
      });
      return undefined;
    }
    return value as T;
  };
  const instant = (name: string): Date | undefined => {
    const value = one(name);
    if (value === undefined) return undefined;
    const at = new Date(value);
    if (Number.isNaN(at.getTime()) || !/^\d{4}-\d{2}-\d{2}(T|$)/.test(value)) {
      issues.push({
        field: name,
        code: DISPATCH_ERRORS.INVALID_INSTANT,
        message: 'a date or an ISO 8601 instant',
      });
      return undefined;
    }
    return at;
  };
  for (const key of Object.keys(query)) {
    if (!(INBOX_FILTERS as readonly string[]).includes(key)) {
      issues.push({
        field: key,
        code: DISPATCH_ERRORS.UNKNOWN_FIELD,
        message: `filters: ${INBOX_FILTERS.join(', ')}`,
      });
    }
  }
  const school = one('school');
  if (school !== undefined && !/^[0-9A-Za-z-]{1,20}$/.test(school)) {
    issues.push({
      field: 'school',
      code: DISPATCH_ERRORS.INVALID_VALUE,
      message: 'a school id (BRIN with optional vestiging)',
    });
  }
  const filter: LeerplichtInboxFilter = {
    ...(school !== undefined ? { school } : {}),
    ...optional('kind', oneOf<ReportKind>('kind', REPORT_KINDS)),
    ...optional('status', oneOf<ReportStatus>('status', REPORT_STATUSES)),
    ...optional('receivedFrom', instant('receivedFrom')),
    ...optional('receivedTo', instant('receivedTo')),
    ...optional('ageGroup', oneOf<AgeGroup>('ageGroup', AGE_GROUPS)),
  };
  if (issues.length > 0)
    throw new ValidationError(DISPATCH_ERRORS.FILTER_INVALID, 'The inbox filter was refused', issues);
  return filter;
}

function optional<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}

/** The officer's decision and notes (`POST …/case-notes`): a compact JWE, never decrypted here. */
export interface OfficerCaseNote {
  readonly jwe: string;
}

/** A case-note body `{ jwe }`: a compact JWE and nothing else; else `CASE_NOTE_INVALID`. */
export function parseOfficerCaseNote(body: unknown): OfficerCaseNote {
  const input = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const issues: { field: string; code: string; message: string }[] = [];
  const problem = compactJweProblem(input['jwe']);
  if (problem !== null) issues.push({ field: 'jwe', code: DISPATCH_ERRORS.INVALID_JWE, message: problem });
  for (const key of Object.keys(input)) {
    if (key !== 'jwe')
      issues.push({
        field: key,
        code: DISPATCH_ERRORS.UNKNOWN_FIELD,
        message: 'geen onderdeel van een notitie',
      });
  }
  if (issues.length > 0) {
    throw new ValidationError(DISPATCH_ERRORS.CASE_NOTE_INVALID, 'De notitie is geweigerd', issues);
  }
  return { jwe: input['jwe'] as string };
}

/** The status an officer sets (`POST …/status`), before it gets its report and time. */
export type OfficerStatusChange = Omit<StatusChange, 'externalRef' | 'at'>;

export function parseOfficerStatus(body: unknown): OfficerStatusChange {
  const issues: { field: string; code: string; message: string }[] = [];
  const input = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const status = input['status'];
  if (typeof status === 'string' && (RETIRED_OFFICER_STATUSES as readonly string[]).includes(status)) {
    issues.push({
      field: 'status',
      code: DISPATCH_ERRORS.STATUS_RETIRED,
      message:
        '"Overgedragen aan derden" kan sinds 2020 niet meer worden gekozen; kies afgesloten met een reden',
    });
  } else if (typeof status !== 'string' || !(OFFICER_STATUSES as readonly string[]).includes(status)) {
    issues.push({
      field: 'status',
      code: DISPATCH_ERRORS.UNKNOWN_STATUS,
      message: `one of ${OFFICER_STATUSES.join(', ')}`,
    });
  }
  const reason = input['closingReason'];
  if (reason !== undefined && !(CLOSING_REASONS as readonly unknown[]).includes(reason)) {
    issues.push({
      field: 'closingReason',
      code: DISPATCH_ERRORS.UNKNOWN_REASON,
      message: `one of ${CLOSING_REASONS.join(', ')}`,
    });
  }
  const explanation = input['closingExplanation'];
  if (explanation !== undefined && !(CLOSING_EXPLANATIONS as readonly unknown[]).includes(explanation)) {
    issues.push({
      field: 'closingExplanation',
      code: DISPATCH_ERRORS.UNKNOWN_EXPLANATION,
      message: `one of ${CLOSING_EXPLANATIONS.join(', ')}`,
    });
  }
  if (status === 'AFGESLOTEN' && reason === undefined) {
    issues.push({
      field: 'closingReason',
      code: DISPATCH_ERRORS.REQUIRED,
      message: 'a closed report needs a closing reason',
    });
  }
  const contact = input['contact'];
  if (contact !== undefined && (typeof contact !== 'string' || contact.length > 200)) {
    issues.push({
      field: 'contact',
      code: DISPATCH_ERRORS.INVALID_TYPE,
      message: 'a text of at most 200 characters',
    });
  }
  const known = new Set(['status', 'closingReason', 'closingExplanation', 'contact']);
  for (const key of Object.keys(input)) {
    if (!known.has(key))
      issues.push({ field: key, code: DISPATCH_ERRORS.UNKNOWN_FIELD, message: 'not part of a status' });
  }
  if (typeof body !== 'object' || body === null || issues.length > 0) {
    throw new ValidationError(DISPATCH_ERRORS.STATUS_INVALID, 'The status was refused', issues);
  }
  return {
    status: status as (typeof OFFICER_STATUSES)[number],
    ...(reason !== undefined ? { closingReason: reason as ClosingReason } : {}),
    ...(explanation !== undefined ? { closingExplanation: explanation as ClosingExplanation } : {}),
    ...(typeof contact === 'string' ? { contact } : {}),
  };
}
