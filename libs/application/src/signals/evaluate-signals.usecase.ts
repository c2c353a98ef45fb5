import {
  type Actor,
  CANONICAL_RECORDS_CHANGED,
  type CanonicalRecord,
  type CanonicalRecordsChangedV1,
  type Clock,
  type Envelope,
  type NewReport,
  type Pupil,
  type PupilAt,
  type PupilRegistry,
  REPORT_STATUSES_OUT,
  type Report,
  type SchoolCalendar,
  type SchoolCalendarStore,
  type SchoolSettingsStore,
  type Signal,
  type SignalEvaluator,
  type SignalPupil,
  type SignalStore,
  type StoredSignal,
  type UnitOfWork,
  ValidationError,
  administrationCovers,
  requireRole,
} from '#domain';
import { reportFieldsOf } from './report-fields.js';
import { isIsoDate, schoolInScope, schoolToday } from '../shared/school-day.js';
import { SIGNALS_ERRORS } from './signals-error-codes.js';
import { AUTO_APPROVE, storeDraftedReports } from '../reports/announce-approval.js';

/** The message an evaluation answers: a second one with the same key changes nothing. */
interface MessageKey {
  readonly consumer: string;
  readonly key: string;
}

export const SIGNALS_CONSUMER = 'worker.signals';
/** Pupils evaluated per store round trip (one slice, one transaction). */
const SLICE = 500;
/**
 * The read-ahead a PostgreSQL server serves well: two slices, each read holding up to two connections (records and
 * signals at once), so an evaluation holds at most five with its unit of work.
 */
const SERVER_READ_AHEAD = 2;

/**
 * `EvaluateOptions.readAhead` for the database the evaluation runs on: reading ahead on a PostgreSQL server, one
 * slice at a time on the embedded PGlite, which runs one statement at a time whatever the connections (ADR 0033
 * decision 8). The worker, the gateway and the bench choose with this.
 */
export function readAheadOn(database: 'server' | 'embedded'): number {
  return database === 'server' ? SERVER_READ_AHEAD : 0;
}

export interface EvaluationOutcome {
  readonly outcome: 'applied' | 'duplicate';
  readonly asOf: string;
  readonly pupils: number;
  readonly evaluated: number;
  /** Pupils with records but no facts in the pupil registry: not evaluated, their signals left as they were. */
  readonly skippedUnregistered: number;
  /** Pupils whose school has no stored calendar: not evaluated, their signals left as they were. */
  readonly skippedNoCalendar: number;
  readonly opened: number;
  readonly withdrawn: number;
  readonly unchanged: number;
  readonly drafts: number;
}

export interface EvaluateOptions {
  /**
   * Test-only fault injection (ADR 0003): runs inside the transaction that records a message's idempotency key,
   * just before it commits.
   */
  readonly beforeCommit?: () => void;
  /**
   * Slices whose reads run while one is evaluated and written, each reading its records and signals at once (issue
   * 18; `readAheadOn` chooses it per database). 0, the default, reads a slice just before it is evaluated, one
   * query at a time: the embedded PGlite runs one statement at a time whatever the connections, so reading ahead
   * gains nothing there and only fills its small pool.
   */
  readonly readAhead?: number;
}

/** What `readSlice` hands to the evaluation of its slice. */
interface SliceRead {
  readonly pupils: number;
  readonly found: readonly { readonly at: PupilAt; readonly pupil: Pupil | null }[];
  readonly records: ReadonlyMap<string, CanonicalRecord[]>;
  readonly existing: readonly StoredSignal[];
}

/**
 * The sorted pupils in slices of about `SLICE`; a slice never ends between two entries of one pupil number (a
 * pupil at two schools of one shared administration), so no two slices read or write the same pupil's signals.
 * No pupils is one empty slice: it still records the message's key.
 */
export function slicesOf<T extends PupilAt>(sorted: readonly T[], size = SLICE): T[][] {
  const slices: T[][] = [];
  let from = 0;
  while (from < sorted.length) {
    let to = Math.min(from + size, sorted.length);
    while (to < sorted.length && sorted[to].localId === sorted[to - 1].localId) to++;
    slices.push(sorted.slice(from, to));
    from = to;
  }
  return slices.length > 0 ? slices : [[]];
}

type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

/** A promise's outcome as a value, so that one started early cannot fail unobserved while it waits. */
function settled<T>(work: Promise<T>): Promise<Settled<T>> {
  return work.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
}

const overlaps = (a: Signal, b: Signal): boolean => a.beginDate <= b.endDate && b.beginDate <= a.endDate;
const LIVE_STATUSES: readonly string[] = ['DRAFT', ...REPORT_STATUSES_OUT];

/**
 * Re-evaluates pupils and stores the difference: new signals OPEN, vanished ones WITHDRAWN (kept with the reason),
 * the same signal id untouched. Reportable signals get report drafts; a signal that goes away or changes after its
 * report left the school gets a withdrawal or correction draft. Pupils without registry facts or without a school
 * calendar are skipped and counted, never guessed at.
 */
export class EvaluateSignalsUseCase {
  constructor(
    private readonly evaluator: SignalEvaluator,
    private readonly store: SignalStore,
    private readonly uow: UnitOfWork,
    private readonly pupils: Pick<PupilRegistry, 'findEach'>,
    private readonly calendars: SchoolCalendarStore,
    private readonly settings: SchoolSettingsStore,
    private readonly clock: Clock,
    private readonly newId: () => string,
    private readonly options: EvaluateOptions = {},
  ) {
    this.readAhead = options.readAhead ?? 0;
  }

  /** `EvaluateOptions.readAhead`, 0 when not given. */
  private readonly readAhead: number;

  /** The worker's step for `canonical-records.changed`: only the pupils whose records changed. Idempotent. */
  async onRecordsChanged(envelope: Envelope): Promise<EvaluationOutcome> {
    if (
      envelope.type !== CANONICAL_RECORDS_CHANGED.type ||
      envelope.version !== CANONICAL_RECORDS_CHANGED.version
    ) {
      throw new ValidationError(
        SIGNALS_ERRORS.UNSUPPORTED_MESSAGE,
        `Unsupported message ${envelope.type} v${envelope.version}`,
      );
    }
    const payload = envelope.payload as Partial<CanonicalRecordsChangedV1>;
    const ids = [payload.created, payload.updated, payload.deleted];
    if (typeof payload.board !== 'string' || ids.some((list) => list !== undefined && !Array.isArray(list))) {
      throw new ValidationError(
        SIGNALS_ERRORS.MESSAGE_INVALID,
        'canonical-records.changed without board or id lists',
      );
    }
    const asOf = schoolToday(this.clock.now());
    const idempotency = { consumer: SIGNALS_CONSUMER, key: envelope.idempotencyKey };
    if (await this.store.wasProcessed(idempotency.consumer, idempotency.key)) {
      return { ...emptyOutcome(asOf, 0), outcome: 'duplicate' };
    }
    const recordIds = ids.flatMap((list) =>
      (list ?? []).filter((id): id is string => typeof id === 'string'),
    );
    const pupils = await this.store.pupilsOfRecords(payload.board, recordIds);
    return this.evaluate(payload.board, pupils, asOf, idempotency);
  }

  /** Staff: re-evaluate every pupil of one school (its registered pupils and pupils with stored signals). */
  async evaluateSchool(actor: Actor, school: string, asOf?: string): Promise<EvaluationOutcome> {
    requireRole(actor, ['school_staff'], 'Only school staff start an evaluation');
    const scope = schoolInScope(actor, 'write', school);
    if (asOf !== undefined && !isIsoDate(asOf)) {
      throw new ValidationError(SIGNALS_ERRORS.AS_OF_INVALID, 'asOf must be a date YYYY-MM-DD', [
        { field: 'asOf', code: SIGNALS_ERRORS.INVALID_DATE, message: 'a date YYYY-MM-DD' },
      ]);
    }
    const pupils = await this.store.pupilsOfSchool(scope.board, school);
    return this.evaluate(scope.board, pupils, asOf ?? schoolToday(this.clock.now()));
  }

  /**
   * Evaluates the pupils in slices; each slice is written in one transaction (the message's key on the last). A
   * pupil is a number at a school (ADR 0017); a bare number stands for the one registered pupil of that number.
   */
  async evaluate(
    board: string,
    pupils: readonly (string | PupilAt)[],
    asOf: string,
    idempotency?: MessageKey,
  ): Promise<EvaluationOutcome> {
    const byKey = new Map<string, PupilAt>();
    for (const item of pupils) {
      const at = typeof item === 'string' ? { school: null, localId: item } : item;
      byKey.set(`${at.localId}\u0000${at.school ?? ''}`, at);
    }
    const unique = [...byKey.keys()].sort().map((key) => byKey.get(key)!);
    const slices = slicesOf(unique);
    let total = emptyOutcome(asOf, unique.length);
    // The next slices' reads run while this slice is evaluated and written (issue 18: the server reads while the
    // rules run). Their pupils are other pupils (`slicesOf`), so nothing this slice writes is what they read.
    const reading: Promise<Settled<SliceRead>>[] = [];
    let next = 0;
    const startReads = (upTo: number): void => {
      while (reading.length < upTo && next < slices.length) {
        reading.push(settled(this.readSlice(board, slices[next++])));
      }
    };
    try {
      for (let n = 0; n < slices.length; n++) {
        if (reading.length === 0) startReads(1);
        const read = await reading.shift()!;
        if (!read.ok) throw read.error;
        startReads(this.readAhead);
        const last = n === slices.length - 1;
        const ofSlice = await this.evaluateSlice(board, read.value, asOf, last ? idempotency : undefined);
        if (ofSlice.outcome === 'duplicate') return { ...total, outcome: 'duplicate' };
        total = add(total, ofSlice);
      }
      return total;
    } finally {
      // Nothing this evaluation started goes on after it answers.
      await Promise.all(reading);
    }
  }

  /** What a slice's evaluation reads before it runs the rules: the registry's facts, records and signals. */
  private async readSlice(board: string, pupilsAt: readonly PupilAt[]): Promise<SliceRead> {
    // The registry first: a pupil it does not know is skipped, so its records and signals are never read (a
    // school that sends marks before its roster would otherwise have every pupil's history read for nothing).
    const registered = await this.pupils.findEach({ board, schools: null }, pupilsAt);
    const found = pupilsAt.map((at, i) => ({ at, pupil: registered[i] ?? null }));
    const localIds = [...new Set(found.filter((f) => f.pupil !== null).map((f) => f.at.localId))];
    if (localIds.length === 0) return { pupils: pupilsAt.length, found, records: new Map(), existing: [] };
    const records = (): Promise<Map<string, CanonicalRecord[]>> =>
      this.store.recordsForRules(board, localIds);
    const signals = (): Promise<StoredSignal[]> => this.store.signalsOf(board, localIds);
    // Reading ahead, both at once; else one query at a time.
    const [ofRecords, existing] =
      this.readAhead > 0 ? await Promise.all([records(), signals()]) : [await records(), await signals()];
    return { pupils: pupilsAt.length, found, records: ofRecords, existing };
  }

  private async evaluateSlice(
    board: string,
    { pupils, found, records, existing }: SliceRead,
    asOf: string,
    idempotency: MessageKey | undefined,
  ): Promise<EvaluationOutcome> {
    const now = this.clock.now();
    const outcome = { ...emptyOutcome(asOf, pupils) };
    const counts = { evaluated: 0, skippedUnregistered: 0, skippedNoCalendar: 0, unchanged: 0 };
    const calendarOf = new Map<string, SchoolCalendar | null>();
    const autoApprove = new Map<string, boolean>();

    const opened: { school: string; signal: Signal; pupil: Pupil; records: Map<string, CanonicalRecord> }[] =
      [];
    const withdrawn: { stored: StoredSignal; replacedBy: Signal | null }[] = [];
    const seen = new Set<string>();
    const existingOf = new Map<string, StoredSignal[]>();
    for (const s of existing) {
      const list = existingOf.get(s.signal.pupil.localId);
      if (list === undefined) existingOf.set(s.signal.pupil.localId, [s]);
      else list.push(s);
    }
    for (const { at, pupil } of found) {
      const localId = at.localId;
      if (pupil === null) {
        counts.skippedUnregistered += 1;
        continue;
      }
      // Two schools of one shared administration name the same pupil: evaluated once.
      const identity = `${pupil.administration}\u0000${localId}`;
      if (seen.has(identity)) continue;
      seen.add(identity);
      const ofPupil = (school: string | null | undefined): boolean =>
        administrationCovers(pupil.administration, school);
      if (!calendarOf.has(pupil.school)) {
        calendarOf.set(pupil.school, (await this.calendars.get(board, pupil.school))?.calendar ?? null);
      }
      const calendar = calendarOf.get(pupil.school) ?? null;
      if (calendar === null) {
        counts.skippedNoCalendar += 1;
        continue;
      }
      counts.evaluated += 1;
      // Per school, another school's child with the same number is another pupil (ADR 0017).
      const pupilRecords = (records.get(localId) ?? []).filter((r) => ofPupil(r.school?.brin));
      const signals = this.evaluator.evaluatePupil({
        pupil: signalPupilOf(pupil),
        records: pupilRecords,
        calendar,
        asOf,
      });
      const fresh = new Map(signals.map((s) => [s.signalId, s]));
      const stored = (existingOf.get(localId) ?? []).filter((s) => ofPupil(s.school));
      const storedById = new Map(stored.map((s) => [s.signal.signalId, s]));
      const added = signals.filter((s) => storedById.get(s.signalId)?.status !== 'OPEN');
      if (added.length > 0) {
        const byId = new Map(pupilRecords.map((r) => [r.recordId, r]));
        for (const signal of added) opened.push({ school: pupil.school, signal, pupil, records: byId });
      }
      counts.unchanged += signals.length - added.length;
      for (const old of stored) {
        if (old.status !== 'OPEN' || fresh.has(old.signal.signalId)) continue;
        const replacedBy = added.find((s) => s.rule === old.signal.rule && overlaps(s, old.signal)) ?? null;
        withdrawn.push({ stored: old, replacedBy });
      }
    }

    const involved = [
      ...withdrawn.map((w) => w.stored.signal.signalId),
      ...opened.map((o) => o.signal.signalId),
    ];
    const reports = involved.length > 0 ? await this.store.reportsOfSignals(board, involved) : [];
    const reportsOf = (signalId: string): Report[] => reports.filter((r) => r.signalId === signalId);
    const supersededIds = new Set(
      reports
        .filter((r) => r.supersedes && r.status !== 'DISMISSED' && r.status !== 'WITHDRAWN')
        .map((r) => r.supersedes),
    );

    const drafts: NewReport[] = [];
    const withdrawnDrafts: string[] = [];
    const corrected = new Map<string, Report>();
    for (const { stored, replacedBy } of withdrawn) {
      for (const report of reportsOf(stored.signal.signalId)) {
        if (report.status === 'DRAFT') withdrawnDrafts.push(report.id);
        if (!REPORT_STATUSES_OUT.includes(report.status) || report.action === 'WITHDRAWAL') continue;
        if (supersededIds.has(report.id)) continue;
        if (replacedBy && replacedBy.reportKind !== null && !corrected.has(replacedBy.signalId)) {
          corrected.set(replacedBy.signalId, report);
          continue;
        }
        drafts.push(this.followUp(report, 'WITHDRAWAL', report.kind, report.fields, stored.signal));
      }
    }
    for (const { school, signal, pupil, records: byId } of opened) {
      if (signal.reportKind === null) continue;
      if (reportsOf(signal.signalId).some((r) => LIVE_STATUSES.includes(r.status))) continue;
      const fields = reportFieldsOf(signal, school, pupil, byId);
      const superseded = corrected.get(signal.signalId);
      if (superseded) {
        drafts.push(this.followUp(superseded, 'CORRECTION', signal.reportKind, fields, signal));
        continue;
      }
      if (!autoApprove.has(school)) {
        autoApprove.set(school, (await this.settings.get(board, school)).autoApproveMandatory);
      }
      const auto = signal.mandatory && autoApprove.get(school) === true;
      drafts.push({
        id: this.newId(),
        kind: signal.reportKind,
        status: auto ? 'APPROVED' : 'DRAFT',
        fields,
        action: 'REPORT',
        supersedes: null,
        board,
        school,
        pupil: { localId: signal.pupil.localId },
        signalId: signal.signalId,
        rule: signal.rule,
        mandatory: signal.mandatory,
        deadline: signal.deadline,
        decidedBy: auto ? AUTO_APPROVE : null,
        decidedAt: auto ? now.toISOString() : null,
        dismissReason: null,
      });
    }

    // One unit of work: the message's key, the signals, the drafted reports and the announcement of those
    // auto-approved commit together or not at all.
    const beforeCommit = idempotency ? this.options.beforeCommit : undefined;
    const nothingToWrite =
      idempotency === undefined &&
      opened.length === 0 &&
      withdrawn.length === 0 &&
      withdrawnDrafts.length === 0 &&
      drafts.length === 0;
    // A slice that changed nothing and carries no message key has no transaction to open (most slices of a day).
    const applied = nothingToWrite
      ? 'applied'
      : await this.uow.run(async (tx): Promise<'applied' | 'duplicate'> => {
          if (idempotency && !(await tx.signals.recordMessage(idempotency.consumer, idempotency.key, now))) {
            return 'duplicate';
          }
          await tx.signals.write(
            {
              board,
              opened: opened.map(({ school, signal }) => ({ school, signal })),
              withdrawn: withdrawn.map(({ stored, replacedBy }) => ({
                signalId: stored.signal.signalId,
                reason: replacedBy ? 'SUPERSEDED' : 'NO_LONGER_RAISED',
                replacedBy: replacedBy?.signalId ?? null,
              })),
              withdrawnDrafts,
            },
            now,
          );
          await storeDraftedReports(tx, drafts, now);
          beforeCommit?.();
          return 'applied';
        });
    return {
      ...outcome,
      ...counts,
      outcome: applied,
      opened: opened.length,
      withdrawn: withdrawn.length,
      drafts: drafts.length,
    };
  }

  /** A correction or withdrawal of a report that already left (or is about to leave) the school. */
  private followUp(
    report: Report,
    action: 'CORRECTION' | 'WITHDRAWAL',
    kind: Report['kind'],
    fields: Report['fields'],
    signal: Signal,
  ): NewReport {
    return {
      id: this.newId(),
      kind,
      status: 'DRAFT',
      fields,
      action,
      supersedes: report.id,
      board: report.board,
      school: report.school,
      pupil: report.pupil,
      signalId: signal.signalId,
      rule: signal.rule,
      mandatory: report.mandatory,
      deadline: action === 'CORRECTION' ? signal.deadline : null,
      decidedBy: null,
      decidedAt: null,
      dismissReason: null,
    };
  }
}

/** The evaluator's view of a registered pupil (contracts §5). */
export function signalPupilOf(pupil: Pupil): SignalPupil {
  return {
    localId: pupil.localId,
    birthDate: pupil.birthDate,
    sector: pupil.sector,
    ...(pupil.startkwalificatie === null ? {} : { startkwalificatie: pupil.startkwalificatie }),
    ...(pupil.woongemeente === null ? {} : { woongemeente: pupil.woongemeente }),
  };
}

function emptyOutcome(asOf: string, pupils: number): EvaluationOutcome {
  return {
    outcome: 'applied',
    asOf,
    pupils,
    evaluated: 0,
    skippedUnregistered: 0,
    skippedNoCalendar: 0,
    opened: 0,
    withdrawn: 0,
    unchanged: 0,
    drafts: 0,
  };
}

function add(a: EvaluationOutcome, b: EvaluationOutcome): EvaluationOutcome {
  return {
    outcome: b.outcome,
    asOf: a.asOf,
    pupils: a.pupils,
    evaluated: a.evaluated + b.evaluated,
    skippedUnregistered: a.skippedUnregistered + b.skippedUnregistered,
    skippedNoCalendar: a.skippedNoCalendar + b.skippedNoCalendar,
    opened: a.opened + b.opened,
    withdrawn: a.withdrawn + b.withdrawn,
    unchanged: a.unchanged + b.unchanged,
    drafts: a.drafts + b.drafts,
  };
}
