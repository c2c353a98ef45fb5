import { randomBytes, randomUUID } from 'node:crypto';
import { availableParallelism, loadavg } from 'node:os';
import {
  type EvaluationOutcome,
  EvaluateSignalsUseCase,
  RulepackSignalEvaluator,
  readAheadOn,
} from '#application';
import { loadSettings, processEnv } from '#config';
import {
  CANONICAL_RECORDS_CHANGED,
  type CanonicalRecordsChangedV1,
  type Clock,
  type Envelope,
  type OutboxEvent,
  type PupilRegistry,
  type SchoolCalendarStore,
  type SchoolSettingsStore,
  type Signal,
  type SignalEvaluator,
  type SignalStore,
  type UnitOfWork,
  pupilPseudonym,
} from '#domain';
import {
  type DataSource,
  EmbeddedPostgres,
  TypeOrmPupilRegistry,
  TypeOrmRecordBatchRepository,
  TypeOrmSchoolCalendarStore,
  TypeOrmSchoolSettingsStore,
  TypeOrmSignalStore,
  TypeOrmUnitOfWork,
  openDatabase,
} from '#persistence';
import { copyText, keepCanonicalRows, stageRow } from '#persistence/bench';
import { type IncrementalChanges, type Rulepack, dateOf, dayNumber } from '#signals';
import { BENCH_CALENDAR, type InMemoryEvaluation } from './evaluate.bench.js';

const SCHOOL = '99XX';
const TARGET_SECONDS = 1;
/** Records per bulk load (one batch each). */
const LOAD_PART = 250_000;
/** The longest rolling window of the national rulepack (MAZL: sick reports in 12 school weeks). */
const LONGEST_WINDOW_SCHOOL_WEEKS = 12;

/** Seconds and calls of one port method during the timed increment. */
interface PortTiming {
  calls: number;
  seconds: number;
  /** Rows it returned (records, pupils, signals, reports), where that means something. */
  rows: number;
}

/**
 * Where the timed increment spends its time, by port: every read port (`SignalStore`, the pupil registry, the
 * calendar and settings stores), the rules engine (`SignalEvaluator`) and the unit of work that writes. The use
 * case reads a slice's registry facts, records and signals while it evaluates and writes the slice before, so the
 * read calls' time overlaps the rest: read + evaluate + write may exceed the increment's seconds.
 */
class Timings {
  readonly ports = new Map<string, PortTiming>();
  read = 0;
  evaluate = 0;
  write = 0;

  async time<T>(
    phase: 'read' | 'write',
    port: string,
    work: () => Promise<T>,
    rows?: (result: T) => number,
  ): Promise<T> {
    const started = process.hrtime.bigint();
    const result = await work();
    this.add(phase, port, started, rows ? rows(result) : 0);
    return result;
  }

  add(phase: 'read' | 'evaluate' | 'write', port: string, started: bigint, rows: number): void {
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    this[phase] += seconds;
    const entry = this.ports.get(port) ?? { calls: 0, seconds: 0, rows: 0 };
    entry.calls += 1;
    entry.seconds += seconds;
    entry.rows += rows;
    this.ports.set(port, entry);
  }

  rowsOf(port: string): number {
    return this.ports.get(port)?.rows ?? 0;
  }
}

/** The real TypeORM stores of the worker's signals use case, each call timed. */
function timedStores(
  dataSource: DataSource,
  pupilDataKey: Buffer,
  t: Timings,
): {
  store: SignalStore;
  pupils: Pick<PupilRegistry, 'findEach'>;
  calendars: SchoolCalendarStore;
  settings: SchoolSettingsStore;
  uow: UnitOfWork;
} {
  const store = new TypeOrmSignalStore(dataSource);
  const registry = new TypeOrmPupilRegistry(dataSource, pupilDataKey);
  const calendars = new TypeOrmSchoolCalendarStore(dataSource);
  const settings = new TypeOrmSchoolSettingsStore(dataSource);
  const uow = new TypeOrmUnitOfWork(dataSource);
  return {
    store: {
      wasProcessed: (consumer, key) =>
        t.time('read', 'signals.wasProcessed', () => store.wasProcessed(consumer, key)),
      pupilsOfRecords: (board, ids) =>
        t.time(
          'read',
          'signals.pupilsOfRecords',
          () => store.pupilsOfRecords(board, ids),
          (r) => r.length,
        ),
      pupilsOfSchool: (board, school) => store.pupilsOfSchool(board, school),
      currentRecords: (board, ids) => store.currentRecords(board, ids),
      recordsForRules: (board, ids) =>
        t.time(
          'read',
          'signals.recordsForRules',
          () => store.recordsForRules(board, ids),
          (m) => [...m.values()].reduce((n, list) => n + list.length, 0),
        ),
      signalsOf: (board, ids) =>
        t.time(
          'read',
          'signals.signalsOf',
          () => store.signalsOf(board, ids),
          (r) => r.length,
        ),
      reportsOfSignals: (board, ids) =>
        t.time(
          'read',
          'signals.reportsOfSignals',
          () => store.reportsOfSignals(board, ids),
          (r) => r.length,
        ),
      list: (scope, filter) => store.list(scope, filter),
    },
    pupils: {
      findEach: (scope, ats) =>
        t.time(
          'read',
          'pupilRegistry.findEach',
          () => registry.findEach(scope, ats),
          (found) => found.filter((p) => p !== null).length,
        ),
    },
    calendars: {
      get: (board, school) => t.time('read', 'calendars.get', () => calendars.get(board, school)),
      save: (board, entry, at) => calendars.save(board, entry, at),
    },
    settings: {
      get: (board, school) => t.time('read', 'settings.get', () => settings.get(board, school)),
      save: (board, entry, at) => settings.save(board, entry, at),
    },
    uow: { run: (work) => t.time('write', 'unitOfWork.run', () => uow.run(work)) },
  };
}

function timedEvaluator(evaluator: SignalEvaluator, t: Timings): SignalEvaluator {
  return {
    evaluatePupil: (input) => {
      const started = process.hrtime.bigint();
      const signals = evaluator.evaluatePupil(input);
      t.add('evaluate', 'evaluator.evaluatePupil', started, input.records.length);
      return signals;
    },
  };
}

/**
 * The store-backed one-day increment of `bench evaluate` (issue 18). The in-memory board goes into the store —
 * PostgreSQL (DATABASE_URL) or embedded PGlite — under a board id of its own: calendar and pupils through their
 * repositories, the records up to the day before the last school day by COPY (`keepCanonicalRows`), and the
 * signals as of that day through the signals use case itself (untimed). Then the last school day's records go
 * through the ingest's writer (`saveSubmitted`, the versioned upsert of every ingest path), which hands out the
 * `canonical-records.changed` event(s) the ingest announces; the worker's step for that event
 * (`EvaluateSignalsUseCase.onRecordsChanged`: record ids → pupils → their records → rules → signals and drafts in
 * one unit of work) is what is timed, split by port. Everything the run wrote is deleted at the end.
 */
export async function evaluateFromStore(
  memory: InMemoryEvaluation,
  rulepack: Rulepack,
): Promise<Record<string, unknown>> {
  const settings = loadSettings(processEnv());
  const embedded = settings.databaseUrl === null ? await EmbeddedPostgres.start(null) : null;
  const dataSource = await openDatabase({
    url: settings.databaseUrl ?? embedded!.url,
    poolSize: embedded ? 2 : 8,
  });
  const board = `BENCH-EVAL-${randomUUID().slice(0, 8)}`;
  const batches: string[] = [];
  try {
    const readAhead = readAheadOn(embedded ? 'embedded' : 'server');
    const measured = await run(dataSource, board, batches, memory, rulepack, readAhead);
    await cleanUp(dataSource, board, batches);
    return {
      mode: embedded ? 'embedded PGlite (in memory)' : 'PostgreSQL (DATABASE_URL)',
      ...measured,
      leftBehindRows: await leftBehind(dataSource, board, batches),
    };
  } catch (error) {
    await cleanUp(dataSource, board, batches).catch((failed: unknown) => {
      process.stderr.write(`bench evaluate: cleaning up board ${board} failed: ${String(failed)}\n`);
    });
    throw error;
  } finally {
    await dataSource.destroy();
    await embedded?.stop();
  }
}

async function run(
  dataSource: DataSource,
  board: string,
  batches: string[],
  memory: InMemoryEvaluation,
  rulepack: Rulepack,
  readAhead: number,
): Promise<Record<string, unknown>> {
  const { pupils, records, schoolDays } = memory.board;
  const lastDay = schoolDays[schoolDays.length - 1];
  const dayBefore = schoolDays[schoolDays.length - 2] ?? lastDay;
  const lastDayNo = dayNumber(lastDay);
  const before = records.filter((r) => dayNumber(r.date) < lastDayNo);
  const today = records.filter((r) => dayNumber(r.date) === lastDayNo);
  // The bench stores no BSN and reads no pseudonym back: keys of this run only.
  const pupilDataKey = randomBytes(32);
  const pseudonymKey = randomBytes(32);
  const evaluator = new RulepackSignalEvaluator(rulepack);
  const seededAt = new Date();
  const phase = timer();

  // 1. The stored state: calendar, pupils, the records up to the day before, and the signals as of that day.
  await new TypeOrmSchoolCalendarStore(dataSource).save(
    board,
    { school: SCHOOL, calendar: BENCH_CALENDAR, updatedBy: 'bench' },
    seededAt,
  );
  const registry = new TypeOrmPupilRegistry(dataSource, pupilDataKey);
  let next = 0;
  const register = async (): Promise<void> => {
    for (let i = next++; i < pupils.length; i = next++) {
      const pupil = pupils[i];
      await registry.upsert(
        { board, schools: null },
        pupil.localId,
        {
          school: SCHOOL,
          birthDate: pupil.birthDate,
          sector: pupil.sector,
          enrolledFrom: '2025-08-01',
          ...(pupil.startkwalificatie === undefined ? {} : { startkwalificatie: pupil.startkwalificatie }),
        },
        pupilPseudonym(pseudonymKey, board, pupil.localId),
        seededAt,
      );
    }
  };
  await Promise.all(Array.from({ length: 8 }, register));
  const pupilsSeconds = phase();

  // In parts, each its own batch: the COPY text of two million records at once would take gigabytes of heap.
  for (let i = 0; i < before.length; i += LOAD_PART) {
    const batch = randomUUID();
    batches.push(batch);
    const slices: (string | null)[][][] = [];
    for (let j = i; j < Math.min(i + LOAD_PART, before.length); j += 50_000) {
      slices.push(
        before
          .slice(j, Math.min(j + 50_000, i + LOAD_PART))
          .map((r) => [board, ...stageRow(r), batch, '1', 'f']),
      );
    }
    await keepCanonicalRows(dataSource, board, batch, slices, copyText);
  }
  const recordsSeconds = phase();
  // The planner's statistics, as autovacuum would gather them after a load this size: without them it takes the
  // bulk-loaded board for a few rows and reads all of it for every slice of pupils.
  const [{ autovacuum }] = await dataSource.query<{ autovacuum: string }[]>(`SHOW autovacuum`);
  await dataSource.query(`ANALYZE canonical_record, pupil`);
  let analyzeSeconds = phase();

  const clock: Clock = { now: () => new Date(`${lastDay}T12:00:00Z`) };
  const plain = new EvaluateSignalsUseCase(
    evaluator,
    new TypeOrmSignalStore(dataSource),
    new TypeOrmUnitOfWork(dataSource),
    registry,
    new TypeOrmSchoolCalendarStore(dataSource),
    new TypeOrmSchoolSettingsStore(dataSource),
    clock,
    randomUUID,
  );
  const seeded = await plain.evaluate(
    board,
    pupils.map((p) => ({ school: SCHOOL, localId: p.localId })),
    dayBefore,
  );
  const signalsSeconds = phase();
  await dataSource.query(`ANALYZE signal, report`);
  analyzeSeconds += phase();

  // 2. The last school day arrives: the ingest's writer stores it and hands out its events (kept out of the
  // outbox, so that no relay of another process on the same database can deliver them to its worker first).
  const dayBatch = randomUUID();
  batches.push(dayBatch);
  const events: OutboxEvent<CanonicalRecordsChangedV1>[] = [];
  await new TypeOrmRecordBatchRepository(dataSource).saveSubmitted(
    { board, schools: null },
    { id: dayBatch, board, submittedBy: 'bench', receivedAt: clock.now(), records: today },
    (changed) => {
      // The event of record-batch.helpers.ts `recordsChangedEvents`, as every ingest path announces a batch.
      events.push({
        ...CANONICAL_RECORDS_CHANGED,
        idempotencyKey: `${CANONICAL_RECORDS_CHANGED.type}:${dayBatch}:${changed.part}`,
        payload: { batchId: dayBatch, board, ...changed },
      });
      return [];
    },
  );
  const ingestSeconds = phase();
  // As the relay publishes them (outbox.repository.ts `toEnvelope`).
  const envelopes: Envelope[] = events.map((event) => ({
    ...event,
    messageId: randomUUID(),
    occurredAt: clock.now().toISOString(),
  }));

  // 3. The worker's step, timed: the same use case over the same stores, each port call timed.
  const t = new Timings();
  const ports = timedStores(dataSource, pupilDataKey, t);
  const worker = new EvaluateSignalsUseCase(
    timedEvaluator(evaluator, t),
    ports.store,
    ports.uow,
    ports.pupils,
    ports.calendars,
    ports.settings,
    clock,
    randomUUID,
    // As the worker runs it (infrastructure.ts).
    { readAhead },
  );
  const outcomes: EvaluationOutcome[] = [];
  const loadAverage1m = loadavg()[0] ?? 0;
  const started = process.hrtime.bigint();
  for (const envelope of envelopes) outcomes.push(await worker.onRecordsChanged(envelope));
  const totalSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  const outcome = outcomes.reduce(sum, EMPTY);

  // 4. The cross-check with the in-memory IncrementalEvaluator of the same day, for the pupils whose records
  // changed: the changes it counted, and the open signals afterwards (ids, not only counts).
  const touched = new Set(today.map((r) => r.pupil.localId));
  const inMemory = changesOf(memory.changes, (s) => touched.has(s.pupil.localId));
  const byTimeOnly = changesOf(memory.changes, (s) => !touched.has(s.pupil.localId));
  const expectedOpen = memory.evaluator
    .signals()
    .filter((s) => touched.has(s.pupil.localId))
    .map((s) => s.signalId)
    .sort();
  const storedOpen = (
    await dataSource.query<{ signal_id: string }[]>(
      `SELECT signal_id FROM signal WHERE board = $1 AND status = 'OPEN' AND pupil_local_id = ANY($2::text[])
       ORDER BY signal_id`,
      [board, [...touched]],
    )
  ).map((r) => r.signal_id);
  const sameOpen =
    storedOpen.length === expectedOpen.length && storedOpen.every((id, i) => id === expectedOpen[i]);

  const windowStart = schoolWeeksBack(schoolDays, LONGEST_WINDOW_SCHOOL_WEEKS);
  const recordsRead = t.rowsOf('signals.recordsForRules');
  const recordsInWindow = records.filter(
    (r) => touched.has(r.pupil.localId) && r.date >= windowStart && r.date <= lastDay,
  ).length;
  const byPort: Record<string, PortTiming> = {};
  for (const [name, p] of t.ports) byPort[name] = { calls: p.calls, seconds: round(p.seconds), rows: p.rows };
  return {
    date: lastDay,
    dayRecords: today.length,
    events: envelopes.length,
    seconds: round(totalSeconds),
    readSeconds: round(t.read),
    evaluateSeconds: round(t.evaluate),
    writeSeconds: round(t.write),
    otherSeconds: round(Math.max(0, totalSeconds - t.read - t.evaluate - t.write)),
    pupils: outcome.pupils,
    evaluated: outcome.evaluated,
    recordsRead,
    recordsOfThesePupils: records.filter((r) => touched.has(r.pupil.localId) && r.date <= lastDay).length,
    recordsReadPerPupil: outcome.evaluated === 0 ? 0 : round(recordsRead / outcome.evaluated),
    window: {
      schoolWeeks: LONGEST_WINDOW_SCHOOL_WEEKS,
      from: windowStart,
      records: recordsInWindow,
      note:
        "recordsForRules reads what the rules read of a touched pupil's school year (recordsTheRulesRead: no " +
        'aggregates, no presence marks on a day with nothing else); this many of all their records fall in the ' +
        `last ${LONGEST_WINDOW_SCHOOL_WEEKS} school weeks (the longest rolling window of the national rulepack; ` +
        'LEAVE_LIMIT counts per school year)',
    },
    signalChanges: { opened: outcome.opened, withdrawn: outcome.withdrawn, unchanged: outcome.unchanged },
    drafts: outcome.drafts,
    target: { seconds: TARGET_SECONDS, met: totalSeconds < TARGET_SECONDS },
    ports: byPort,
    crossCheck: {
      pupils: { store: outcome.pupils, inMemory: touched.size },
      inMemory,
      openSignals: { store: storedOpen.length, inMemory: expectedOpen.length, same: sameOpen },
      matches:
        sameOpen &&
        outcome.pupils === touched.size &&
        inMemory.opened === outcome.opened &&
        inMemory.withdrawnInStore === outcome.withdrawn,
      inMemoryByTimeOnly: byTimeOnly,
    },
    load: {
      pupils: pupils.length,
      records: before.length,
      signals: seeded.opened,
      drafts: seeded.drafts,
      asOf: dayBefore,
      pupilsSeconds: round(pupilsSeconds),
      recordsSeconds: round(recordsSeconds),
      analyze: {
        tables: ['canonical_record', 'pupil', 'signal', 'report'],
        seconds: round(analyzeSeconds),
        serverAutovacuum: autovacuum,
      },
      signalsSeconds: round(signalsSeconds),
      dayIngestSeconds: round(ingestSeconds),
    },
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    // The database server shares the machine: how busy it was when the increment started is part of the figure.
    host: { cpus: availableParallelism(), loadAverage1m: round(loadAverage1m) },
  };
}

/**
 * The in-memory changes of the pupils `keep` selects, counted as the store counts them: a changed signal (new id,
 * same key) is one signal opened and one withdrawn.
 */
function changesOf(
  changes: IncrementalChanges,
  keep: (s: Signal) => boolean,
): {
  added: number;
  changed: number;
  withdrawn: number;
  opened: number;
  withdrawnInStore: number;
  rules: Record<string, number>;
} {
  const kept = [...changes.added, ...changes.changed, ...changes.withdrawn].filter(keep);
  const rules: Record<string, number> = {};
  for (const s of kept) rules[s.rule] = (rules[s.rule] ?? 0) + 1;
  const added = changes.added.filter(keep).length;
  const changed = changes.changed.filter(keep).length;
  const withdrawn = changes.withdrawn.filter(keep).length;
  return { added, changed, withdrawn, opened: added + changed, withdrawnInStore: withdrawn + changed, rules };
}

/** The first school day of the last `weeks` (ISO) weeks that have school days. */
function schoolWeeksBack(schoolDays: readonly string[], weeks: number): string {
  const mondayOf = (date: string): number => {
    const day = dayNumber(date);
    return day - ((day + 3) % 7);
  };
  const mondays = [...new Set(schoolDays.map(mondayOf))];
  const from = mondays[Math.max(0, mondays.length - weeks)] ?? mondayOf(schoolDays[0]);
  return schoolDays.find((d) => mondayOf(d) >= from) ?? dateOf(from);
}

const EMPTY: EvaluationOutcome = {
  outcome: 'applied',
  asOf: '',
  pupils: 0,
  evaluated: 0,
  skippedUnregistered: 0,
  skippedNoCalendar: 0,
  opened: 0,
  withdrawn: 0,
  unchanged: 0,
  drafts: 0,
};

function sum(a: EvaluationOutcome, b: EvaluationOutcome): EvaluationOutcome {
  if (b.outcome !== 'applied') throw new Error(`bench: the increment's event was handled as ${b.outcome}`);
  return {
    ...b,
    pupils: a.pupils + b.pupils,
    evaluated: a.evaluated + b.evaluated,
    skippedUnregistered: a.skippedUnregistered + b.skippedUnregistered,
    skippedNoCalendar: a.skippedNoCalendar + b.skippedNoCalendar,
    opened: a.opened + b.opened,
    withdrawn: a.withdrawn + b.withdrawn,
    unchanged: a.unchanged + b.unchanged,
    drafts: a.drafts + b.drafts,
  };
}

/**
 * The run's board leaves nothing behind: the worker's message keys, signals and drafts, records (with their
 * versions, tallies and batches), pupils, calendar and settings.
 */
async function cleanUp(dataSource: DataSource, board: string, batches: readonly string[]): Promise<void> {
  await dataSource.query(`DELETE FROM processed_message WHERE idempotency_key LIKE ANY($1::text[])`, [
    messageKeys(batches),
  ]);
  await dataSource.query(`DELETE FROM outbox WHERE payload->>'batchId' = ANY($1::text[])`, [[...batches]]);
  for (const table of BOARD_TABLES) await dataSource.query(`DELETE FROM ${table} WHERE board = $1`, [board]);
}

/** Rows of the run's board (and its message keys) still in the store: 0 after `cleanUp`. */
async function leftBehind(
  dataSource: DataSource,
  board: string,
  batches: readonly string[],
): Promise<number> {
  const counts = BOARD_TABLES.map((table) => `(SELECT count(*) FROM ${table} WHERE board = $1)`);
  const [row] = await dataSource.query<{ n: string }[]>(
    `SELECT ${counts.join(' + ')}
       + (SELECT count(*) FROM processed_message WHERE idempotency_key LIKE ANY($2::text[]))
       + (SELECT count(*) FROM outbox WHERE payload->>'batchId' = ANY($3::text[])) AS n`,
    [board, messageKeys(batches), [...batches]],
  );
  return Number(row?.n ?? 0);
}

/** The tables the run writes rows of its board into, children before parents. */
const BOARD_TABLES = [
  'report_status_history',
  'report',
  'signal',
  'canonical_record_version',
  'canonical_record',
  'quarantined_input',
  'lesson',
  'record_batch',
  'record_tally',
  'pupil',
  'school_calendar',
  'school_settings',
] as const;

/** The worker's message keys of the run's batches (`canonical-records.changed:<batch>:<part>`). */
const messageKeys = (batches: readonly string[]): string[] =>
  batches.map((id) => `${CANONICAL_RECORDS_CHANGED.type}:${id}:%`);

/** Seconds since the last call (or since it was made). */
function timer(): () => number {
  let last = performance.now();
  return () => {
    const now = performance.now();
    const seconds = (now - last) / 1000;
    last = now;
    return seconds;
  };
}

const round = (n: number): number => Math.round(n * 1000) / 1000;
