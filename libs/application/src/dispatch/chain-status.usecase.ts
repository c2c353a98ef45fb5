import {
  type Actor,
  type BoardSummary,
  type BoardSummarySource,
  CLOSING_EXPLANATIONS,
  CLOSING_REASONS,
  type Clock,
  type ClosingExplanation,
  type ClosingReason,
  type Delivery,
  type DeliveryStatus,
  type DeliveryStore,
  DomainError,
  ForbiddenError,
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
  type NewAuditEntry,
  NotFoundError,
  type Pseudonymise,
  type ReportConnector,
  type ReportDraft,
  type ReportStatusChange,
  type StatusChange,
  ValidationError,
  requireBoardScope,
  schoolHistoryOf,
} from '#domain';
import { schoolInScope } from '../signals/school-scope.js';
import type { SchoolFeedbackDecision, SchoolFeedbackGate } from './school-feedback.js';

function statusAudit(
  board: string,
  pseudonym: string,
  reportId: string,
  entry: Record<string, string | null>,
): NewAuditEntry {
  return { board, kind: 'REPORT_STATUS', entry: { reportId, pupil: pseudonym, ...entry } };
}

/** What the audit entry of a status says about the school's part: the fields it may see, or why none. */
function feedbackAudit(gate: SchoolFeedbackDecision): Record<string, string> {
  return gate.undecided === null
    ? { schoolFields: gate.feedback.released.join(',') }
    : { schoolFields: '', schoolFeedback: gate.undecided };
}

/**
 * Brings DUO's status changes back (AanvraagGewijzigdeMeldingRelatiefVerzuim since the last moment asked):
 * each change moves its report forward (never back) with history and an audit entry; the cursor advances only
 * after every change was applied, so a crash repeats a page, which changes nothing the second time.
 */
export class SyncChainStatusUseCase {
  constructor(
    private readonly store: DeliveryStore,
    private readonly connector: Pick<ReportConnector, 'destination' | 'fetchStatusChanges'>,
    private readonly pseudonymise: Pseudonymise,
    private readonly clock: Clock,
    /** The privacy engine between the municipality's status and the school (ADR 0026). */
    private readonly feedback: SchoolFeedbackGate,
    /**
     * One identity's feed (ADR 0014): its own cursor, and only its board's reports (DUO lists the sender's reports;
     * a report number seen under another board is not this feed's). Default: `<destination>-status`, any board.
     */
    private readonly feed: { readonly cursor: string; readonly board: string | null } | null = null,
  ) {}

  get cursorName(): string {
    return this.feed?.cursor ?? `${this.connector.destination.toLowerCase()}-status`;
  }

  async run(): Promise<{ changes: number; applied: number; unknown: number }> {
    const since = (await this.store.cursor(this.cursorName)) ?? new Date(0);
    const { changes, until } = await this.connector.fetchStatusChanges(since);
    let applied = 0;
    let unknown = 0;
    for (const change of changes) {
      const delivery = await this.store.findByExternalRef(
        this.connector.destination,
        change.externalRef,
        this.feed?.board ?? undefined,
      );
      if (delivery === null) {
        unknown += 1;
        continue;
      }
      if ((await this.apply(delivery, change)) === 'applied') applied += 1;
    }
    if (until.getTime() > since.getTime()) await this.store.setCursor(this.cursorName, until);
    return { changes: changes.length, applied, unknown };
  }

  private async apply(delivery: Delivery, change: StatusChange): Promise<'applied' | 'unchanged'> {
    const report = await this.store.report(delivery.board, delivery.reportId);
    if (report === null) return 'unchanged';
    // Decided before the write; logged only when it was written (a change that moves nothing discloses nothing).
    const gate = await this.feedback.decide(report, change);
    const result = await this.store.applyStatus(
      delivery.id,
      change,
      [
        statusAudit(
          delivery.board,
          await this.pseudonymise(delivery.board, report.pupil.localId, report.school),
          report.id,
          {
            status: change.status,
            source: delivery.destination,
            externalRef: change.externalRef,
            closingReason: change.closingReason ?? null,
            closingExplanation: change.closingExplanation ?? null,
            ...feedbackAudit(gate),
          },
        ),
      ],
      this.clock.now(),
      gate.feedback,
    );
    if (result === 'applied' && gate.record) {
      await gate.record(`${delivery.destination}:${report.id}:${change.status}`);
    }
    return result;
  }
}

/** The codes an officer's token covers: municipalities for leerplicht, the region for a Doorstroompunt. */
function officerCodes(actor: Actor): readonly string[] {
  if (actor.role === 'leerplicht_officer') return actor.municipalities;
  if (actor.role === 'doorstroompunt_officer') return [actor.region];
  throw new ForbiddenError('ROLE_NOT_ALLOWED', 'Only leerplicht and Doorstroompunt officers use the inbox');
}

function requireCode(actor: Actor, code: string): void {
  if (!officerCodes(actor).includes(code)) {
    // Another municipality's inbox looks like one that does not exist.
    throw new NotFoundError('INBOX_NOT_FOUND', 'No inbox for this municipality in your scope');
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
      throw new NotFoundError('REPORT_NOT_FOUND', 'Deze melding staat niet in de inbox van deze gemeente.');
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
    body: unknown,
  ): Promise<LeerplichtCaseNote> {
    requireCode(actor, code);
    const input = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
    const issues: { field: string; code: string; message: string }[] = [];
    const problem = compactJweProblem(input['jwe']);
    if (problem !== null) issues.push({ field: 'jwe', code: 'INVALID_JWE', message: problem });
    for (const key of Object.keys(input)) {
      if (key !== 'jwe')
        issues.push({ field: key, code: 'UNKNOWN_FIELD', message: 'geen onderdeel van een notitie' });
    }
    if (issues.length > 0) {
      throw new ValidationError('CASE_NOTE_INVALID', 'De notitie is geweigerd', issues);
    }
    const entries = await this.inbox.entries(code, reportId);
    if (entries.length === 0) {
      throw new NotFoundError('REPORT_NOT_FOUND', 'Deze melding staat niet in de inbox van deze gemeente.');
    }
    return this.inbox.addCaseNote({
      gemeentecode: code,
      reportId,
      jwe: input['jwe'] as string,
      officer: actor.subject,
      at: this.clock.now(),
    });
  }

  async setStatus(
    actor: Actor,
    code: string,
    reportId: string,
    body: unknown,
  ): Promise<{ reportId: string; status: string; result: 'applied' | 'unchanged' }> {
    requireCode(actor, code);
    const change = parseOfficerStatus(body);
    const deliveryId = await this.inbox.deliveryOf(code, reportId);
    const delivery = deliveryId ? await this.store.find(deliveryId) : null;
    if (delivery === null || delivery.status !== 'DELIVERED') {
      throw new NotFoundError(
        'REPORT_NOT_FOUND',
        'No report with this id was delivered to this municipality',
      );
    }
    const report = await this.store.report(delivery.board, delivery.reportId);
    if (report === null) throw new NotFoundError('REPORT_NOT_FOUND', 'The report no longer exists');
    const move = officerMove(report.status, change.status);
    if (move.kind === 'refuse') throw moveRefused(report.status, change.status, move.reason);
    if (move.kind === 'repeat') return { reportId, status: change.status, result: 'unchanged' };
    const at = this.clock.now();
    const full: StatusChange = { ...change, externalRef: reportId, at: at.toISOString() };
    // What flows back to the school passes the privacy engine like every other disclosure (ADR 0026).
    const gate = await this.feedback.decide(report, full);
    const result = await this.store.applyStatus(
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
      `${field === 'since' ? 'SINCE' : 'FILTER'}_INVALID`,
      `${field} must be an ISO 8601 instant`,
      [{ field, code: 'INVALID_INSTANT', message: 'e.g. 2026-11-28T10:00:00Z' }],
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
      issues.push({ field: name, code: 'INVALID_VALUE', message: 'one value of at most 64 characters' });
      return undefined;
    }
    return value;
  };
  const oneOf = <T extends string>(name: string, allowed: readonly T[]): T | undefined => {
    const value = one(name);
    if (value === undefined) return undefined;
    if (!(allowed as readonly string[]).includes(value)) {
      issues.push({ field: name, code: 'UNKNOWN_VALUE', message: `one of ${allowed.join(', ')}` });
      return undefined;
    }
    return value as T;
  };
  const instant = (name: string): Date | undefined => {
    const value = one(name);
    if (value === undefined) return undefined;
    const at = new Date(value);
    if (Number.isNaN(at.getTime()) || !/^\d{4}-\d{2}-\d{2}(T|$)/.test(value)) {
      issues.push({ field: name, code: 'INVALID_INSTANT', message: 'a date or an ISO 8601 instant' });
      return undefined;
    }
    return at;
  };
  for (const key of Object.keys(query)) {
    if (!(INBOX_FILTERS as readonly string[]).includes(key)) {
      issues.push({ field: key, code: 'UNKNOWN_FIELD', message: `filters: ${INBOX_FILTERS.join(', ')}` });
    }
  }
  const school = one('school');
  if (school !== undefined && !/^[0-9A-Za-z-]{1,20}$/.test(school)) {
    issues.push({
      field: 'school',
      code: 'INVALID_VALUE',
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
  if (issues.length > 0) throw new ValidationError('FILTER_INVALID', 'The inbox filter was refused', issues);
  return filter;
}

function optional<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}

export function parseOfficerStatus(body: unknown): Omit<StatusChange, 'externalRef' | 'at'> {
  const issues: { field: string; code: string; message: string }[] = [];
  const input = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const status = input['status'];
  if (typeof status === 'string' && (RETIRED_OFFICER_STATUSES as readonly string[]).includes(status)) {
    issues.push({
      field: 'status',
      code: 'STATUS_RETIRED',
      message:
        '"Overgedragen aan derden" kan sinds 2020 niet meer worden gekozen; kies afgesloten met een reden',
    });
  } else if (typeof status !== 'string' || !(OFFICER_STATUSES as readonly string[]).includes(status)) {
    issues.push({
      field: 'status',
      code: 'UNKNOWN_STATUS',
      message: `one of ${OFFICER_STATUSES.join(', ')}`,
    });
  }
  const reason = input['closingReason'];
  if (reason !== undefined && !(CLOSING_REASONS as readonly unknown[]).includes(reason)) {
    issues.push({
      field: 'closingReason',
      code: 'UNKNOWN_REASON',
      message: `one of ${CLOSING_REASONS.join(', ')}`,
    });
  }
  const explanation = input['closingExplanation'];
  if (explanation !== undefined && !(CLOSING_EXPLANATIONS as readonly unknown[]).includes(explanation)) {
    issues.push({
      field: 'closingExplanation',
      code: 'UNKNOWN_EXPLANATION',
      message: `one of ${CLOSING_EXPLANATIONS.join(', ')}`,
    });
  }
  if (status === 'AFGESLOTEN' && reason === undefined) {
    issues.push({
      field: 'closingReason',
      code: 'REQUIRED',
      message: 'a closed report needs a closing reason',
    });
  }
  const contact = input['contact'];
  if (contact !== undefined && (typeof contact !== 'string' || contact.length > 200)) {
    issues.push({ field: 'contact', code: 'INVALID_TYPE', message: 'a text of at most 200 characters' });
  }
  const known = new Set(['status', 'closingReason', 'closingExplanation', 'contact']);
  for (const key of Object.keys(input)) {
    if (!known.has(key)) issues.push({ field: key, code: 'UNKNOWN_FIELD', message: 'not part of a status' });
  }
  if (typeof body !== 'object' || body === null || issues.length > 0) {
    throw new ValidationError('STATUS_INVALID', 'The status was refused', issues);
  }
  return {
    status: status as (typeof OFFICER_STATUSES)[number],
    ...(reason !== undefined ? { closingReason: reason as ClosingReason } : {}),
    ...(explanation !== undefined ? { closingExplanation: explanation as ClosingExplanation } : {}),
    ...(typeof contact === 'string' ? { contact } : {}),
  };
}

const WORK_QUEUE: readonly DeliveryStatus[] = ['REJECTED'];
const DEAD_LETTERS: readonly DeliveryStatus[] = ['DEAD'];

/**
 * School staff's side of delivery: the work queue (REJECTED: a permanent error a person must solve), the
 * dead-letter queue (DEAD: retries exhausted), replay (the privacy decision and the retention check run again
 * on the next attempt, as on every attempt), the report's way through the chain, and follow-ups on a report
 * already out: withdraw it, or give it an end date.
 */
export class SchoolDeliveriesUseCase {
  constructor(
    private readonly store: DeliveryStore,
    private readonly pseudonymise: Pseudonymise,
    private readonly clock: Clock,
    private readonly newId: () => string,
  ) {}

  async queue(actor: Actor, which: 'work' | 'dead-letter'): Promise<{ items: Delivery[] }> {
    const scope = requireBoardScope(actor, 'read');
    const items = await this.store.list({
      board: scope.board,
      schools: scope.schools,
      statuses: which === 'work' ? WORK_QUEUE : DEAD_LETTERS,
      limit: 500,
    });
    return { items };
  }

  async replay(actor: Actor, deliveryId: string): Promise<Delivery> {
    if (actor.role !== 'school_staff') {
      throw new ForbiddenError('ROLE_NOT_ALLOWED', 'Only school staff replay a delivery');
    }
    const scope = requireBoardScope(actor, 'write');
    const found = await this.store.find(deliveryId);
    if (
      found === null ||
      found.board !== scope.board ||
      (scope.schools && !scope.schools.includes(found.school))
    ) {
      throw new NotFoundError('DELIVERY_NOT_FOUND', 'No such delivery');
    }
    const report = await this.store.report(found.board, found.reportId);
    const replayed = await this.store.replay(
      scope.board,
      deliveryId,
      [
        {
          board: scope.board,
          kind: 'REPORT_STATUS',
          entry: {
            reportId: found.reportId,
            ...(report
              ? { pupil: await this.pseudonymise(found.board, report.pupil.localId, report.school) }
              : {}),
            status: 'REPLAYED',
            deliveryId,
            destination: found.destination,
            by: actor.subject,
            previous: found.status,
          },
        },
      ],
      this.clock.now(),
    );
    if (replayed === null) {
      throw new DomainError(
        'DELIVERY_NOT_REPLAYABLE',
        'conflict',
        'Only a rejected or dead-lettered delivery can be sent again',
      );
    }
    return replayed;
  }

  async chain(
    actor: Actor,
    school: string,
    reportId: string,
  ): Promise<{ report: ReportDraft; deliveries: Delivery[]; history: ReportStatusChange[] }> {
    const scope = schoolInScope(actor, 'read', school);
    const report = await this.store.report(scope.board, reportId);
    if (report === null || report.school !== school)
      throw new NotFoundError('REPORT_NOT_FOUND', 'No such report');
    const [deliveries, history] = await Promise.all([
      this.store.ofReport(scope.board, reportId),
      this.store.history(scope.board, reportId),
    ]);
    // The chain's statuses as the privacy engine released them to the school (ADR 0026).
    return { report, deliveries, history: schoolHistoryOf(history) };
  }

  /** Withdraws a report that is out (DUO: Ingetrokken): a WITHDRAWAL report, approved at once by this person. */
  withdraw(actor: Actor, school: string, reportId: string): Promise<{ id: string }> {
    return this.followUp(actor, school, reportId, 'WITHDRAWAL', null);
  }

  /** Gives a report that is out its end date (mandatory for 16-uur, LRV and RMC reports once known). */
  endDate(actor: Actor, school: string, reportId: string, body: unknown): Promise<{ id: string }> {
    const endDate =
      typeof body === 'object' && body !== null ? (body as Record<string, unknown>)['endDate'] : undefined;
    if (
      typeof endDate !== 'string' ||
      !/^\d{4}-\d{2}-\d{2}$/.test(endDate) ||
      Number.isNaN(Date.parse(endDate))
    ) {
      throw new ValidationError('END_DATE_INVALID', 'The end date was refused', [
        { field: 'endDate', code: 'INVALID_DATE', message: 'a date YYYY-MM-DD' },
      ]);
    }
    return this.followUp(actor, school, reportId, 'CORRECTION', endDate);
  }

  private async followUp(
    actor: Actor,
    school: string,
    reportId: string,
    action: 'WITHDRAWAL' | 'CORRECTION',
    endDate: string | null,
  ): Promise<{ id: string }> {
    if (actor.role !== 'school_staff') {
      throw new ForbiddenError('ROLE_NOT_ALLOWED', 'Only school staff change a report that is out');
    }
    const scope = schoolInScope(actor, 'write', school);
    const report = await this.store.report(scope.board, reportId);
    if (report === null || report.school !== school)
      throw new NotFoundError('REPORT_NOT_FOUND', 'No such report');
    const out =
      ['SENT', 'REGISTERED', 'IN_BEHANDELING'].includes(report.status) && report.action === 'REPORT';
    if (!out) {
      throw new DomainError(
        'REPORT_NOT_OUT',
        'conflict',
        'Only a first report that was sent and is not closed can be withdrawn or given an end date',
      );
    }
    const begin = report.fields['absence.beginDate'];
    if (endDate !== null && typeof begin === 'string' && endDate < begin) {
      throw new ValidationError('END_DATE_INVALID', 'The end date lies before the begin date', [
        { field: 'endDate', code: 'BEFORE_BEGIN', message: `on or after ${begin}` },
      ]);
    }
    const now = this.clock.now();
    const id = this.newId();
    await this.store.createFollowUp(
      {
        id,
        kind: report.kind,
        status: 'APPROVED',
        fields: endDate === null ? report.fields : { ...report.fields, 'absence.endDate': endDate },
        action,
        supersedes: report.id,
        board: report.board,
        school: report.school,
        pupil: report.pupil,
        signalId: report.signalId,
        rule: report.rule,
        mandatory: report.mandatory,
        deadline: null,
        decidedBy: actor.subject,
        decidedAt: now.toISOString(),
        dismissReason: null,
      },
      now,
    );
    return { id };
  }
}

/**
 * The board's chain at a glance (counts only): for school boards, privacy officers and auditors. Counts only
 * what the caller's scope covers: a school's staff see their schools, not the whole board.
 */
export class ChainSummaryUseCase {
  constructor(private readonly source: BoardSummarySource) {}

  execute(actor: Actor): Promise<BoardSummary> {
    const scope = requireBoardScope(actor, 'read');
    return this.source.summary(scope.board, scope.schools);
  }
}
