import {
  type Actor,
  type AdapterOutput,
  type BatchChanges,
  type BoardScope,
  type CanonicalRecord,
  type Clock,
  DomainError,
  type Lesson,
  type PayloadChunks,
  type PupilDirectory,
  type QuarantinedInput,
  type ReasonMappingRepository,
  type RecordBatchRepository,
  type RecordBatchWriter,
  type RecordCoverage,
  type SourceAdapter,
  type SourceRecord,
  type SourceSystemId,
  type TimetableRepository,
  ValidationError,
  requireBoardScope,
  scopeCoversSchool,
} from '#domain';
import { type BellSlot, type PageLinks, type ReasonMapping, parseReasonMapping } from '#normalisation';
import {
  type NormalisedPayload,
  NormalisePayloadUseCase,
  type PayloadLimits,
} from '../normalise-payload/index.js';
import { yieldToEventLoop } from '../shared/event-loop.js';
import { recordsChangedEvents, withSchool } from '../shared/record-batch.helpers.js';
import { type PupilView, placeRecords, pupilViewOf } from '../shared/pupil-scope.js';
import { parseCoverage } from './coverage.js';
import { requireKnownSystem, resolveSchool } from './resolve-school.js';
import { INGEST_PAYLOAD_ERRORS } from './ingest-payload-error-codes.js';

export interface IngestPayloadCommand {
  readonly actor: Actor;
  readonly system: string;
  /** BRIN; optional for integration clients and for staff of one school. */
  readonly school?: string;
  readonly payload: string;
  /** The source's pupil id, for payloads that name it only in their URL (Magister, SOMtoday overview). */
  readonly pupil?: string;
  /**
   * The dates (YYYY-MM-DD, inclusive) the payload covers completely, for this school and system (and `pupil`
   * when given): stored records inside that the payload lacks are deleted. Both or neither; without them
   * nothing is deleted (ADR 0009).
   */
  readonly from?: string;
  readonly to?: string;
  /** Bounded input for a streamed payload (ADR 0013): the transport's limits; unset: none. */
  readonly limits?: PayloadLimits;
  /**
   * This payload is one page of a run whose pages are each stored as a batch (the pull): teacher checks are
   * linked to the reports of every page of the run so far, and checks of earlier pages whose link this page
   * changes are stored again with it (see `PageLinks`). One object per run.
   */
  readonly links?: PageLinks;
}

export interface IngestResult {
  readonly batchId: string;
  /** Stored and processed in one transaction; signal evaluation follows the batch's change events. */
  readonly status: 'PROCESSED';
  readonly recordCount: number;
  readonly quarantinedCount: number;
  /** What was quarantined and why; the raw items stay in the school's store for replay. */
  readonly quarantined: readonly { sourceId: string | null; reason: string; detail: string }[];
  readonly mapping: { readonly version: string } | null;
  /** What the batch changed in the stored records (ADR 0009). */
  readonly changes: {
    readonly created: number;
    readonly updated: number;
    readonly deleted: number;
    readonly unchanged: number;
  };
  /** Timetable lessons stored (new or changed) and removed within the coverage. */
  readonly lessons: { readonly stored: number; readonly removed: number };
  readonly coverage: RecordCoverage | null;
}

/** Records are written in slices of this size as they are normalised (never the whole batch as JSON at once). */
export const INGEST_SLICE = 10_000;
/** Stored lessons are loaded for the payload's days plus this margin each side (instants near midnight UTC). */
const LESSON_WINDOW_DAYS = 7;

/**
 * A raw school-system payload in, stored canonical records and quarantine out: the same normalisation
 * as the CLI, with the school's current reason mapping, stored lessons and bell schedule, written in slices
 * into the versioned store and committed with its outbox events.
 */
export class IngestPayloadUseCase {
  private readonly normalise = new NormalisePayloadUseCase();

  constructor(
    private readonly batches: RecordBatchRepository,
    private readonly mappings: ReasonMappingRepository,
    private readonly adapterFor: (system: SourceSystemId) => SourceAdapter,
    private readonly clock: Clock,
    private readonly newId: () => string,
    /** Where bell schedules are stored; without it no bell schedule is used (stored lessons are, always). */
    private readonly timetables?: TimetableRepository,
    /** Where pupils are registered (ADR 0017): records for a pupil outside the scope are quarantined. */
    private readonly pupils?: PupilDirectory,
  ) {}

  async execute(command: IngestPayloadCommand): Promise<IngestResult> {
    if (command.payload.trim() === '') throw emptyPayload();
    return this.executeParts(command, [command.payload]);
  }

  /**
   * Several payloads of one system as one batch (the pages of a paged API, the parts of a large export): each
   * part is parsed and normalised on its own and written as it is ready; the coverage applies to the union.
   */
  async executeParts(
    command: Omit<IngestPayloadCommand, 'payload'>,
    parts: Iterable<string> | AsyncIterable<string>,
  ): Promise<IngestResult> {
    const ready = await this.prepare(command);
    return this.write(command, ready, (writer) =>
      this.wholeParts(writer, ready, command.pupil, parts, command.links),
    );
  }

  /** Each part parsed and normalised whole, with the stored lessons of its pupils and days. */
  private async *wholeParts(
    writer: RecordBatchWriter,
    ready: Prepared,
    pupil: string | undefined,
    parts: Iterable<string> | AsyncIterable<string>,
    links: PageLinks | undefined,
  ): AsyncGenerator<NormalisedPayload> {
    const { adapter, school, mapping, bell } = ready;
    for await (const payload of parts) {
      const parsed = this.normalise.parse({ adapter, payload, mapping, timetable: null, pupilId: pupil });
      const storedLessons = await this.storedLessonsFor(writer, school, parsed);
      await yieldToEventLoop();
      yield this.normalise.normaliseParsed(parsed, {
        mapping,
        bellSchedule: bell,
        storedLessons,
        ...(links === undefined ? {} : { links }),
      });
    }
  }

  /**
   * One payload that arrives as a stream (a request body, a file) as one batch: the adapter reads it batch by
   * batch (`parseStream`; an adapter without it reads the collected text whole), each batch is normalised with
   * the stored lessons of its own pupils and days and written as it is ready, and teacher checks are linked to
   * reports across batches. Neither the text nor the parsed document nor the records are held whole; the stored
   * result equals `execute`'s for the same payload. A stream that fails (a client that goes away, a size limit)
   * aborts the batch: nothing is stored. A truncated payload keeps what was read and quarantines the rest.
   */
  async executeStream(
    command: Omit<IngestPayloadCommand, 'payload'>,
    chunks: PayloadChunks,
  ): Promise<IngestResult> {
    const body = await nonEmpty(chunks);
    if (body === null) throw emptyPayload();
    try {
      const ready = await this.prepare(command);
      const { adapter, school, mapping, bell } = ready;
      return await this.write(command, ready, (writer) =>
        this.normalise.stream({
          adapter,
          chunks: body.chunks,
          mapping,
          timetable: null,
          bellSchedule: bell,
          pupilId: command.pupil,
          ...(command.limits === undefined ? {} : { limits: command.limits }),
          lessonsFor: (parsed) => this.storedLessonsFor(writer, school, parsed),
        }),
      );
    } finally {
      // A refused or failed batch leaves the rest of the source unread: it is released (a no-op once read).
      await body.release();
    }
  }

  /** Checks who may send what, and loads the school's mapping and bell schedule (before the batch begins). */
  private async prepare(command: Omit<IngestPayloadCommand, 'payload'>): Promise<Prepared> {
    const scope = requireBoardScope(command.actor, 'write');
    const system = requireKnownSystem(command.system);
    if (command.actor.role === 'integration_client' && command.actor.system !== system) {
      throw new ValidationError(
        INGEST_PAYLOAD_ERRORS.SYSTEM_OUT_OF_SCOPE,
        'An integration client may only send its own system',
        [
          {
            field: 'system',
            code: INGEST_PAYLOAD_ERRORS.SYSTEM_OUT_OF_SCOPE,
            message: 'not the system of this integration client',
          },
        ],
      );
    }
    const school = resolveSchool(command.actor, scope, command.school);
    const coverage = parseCoverage(school, system, command);
    const stored = await this.mappings.current(scope, school, system);
    const mapping = stored ? toMapping(stored.mapping) : null;
    const bell = (await this.timetables?.bellSchedule(scope.board, school))?.slots ?? null;
    const adapter = this.adapterFor(system);
    const pupils = this.pupils ? await pupilViewOf(this.pupils, scope.board) : null;
    return { scope, system, school, coverage, stored, mapping, bell, adapter, pupils };
  }

  /** One batch: the normalised parts are written as they come; `finish` once, `abort` on any failure. */
  private async write(
    command: Omit<IngestPayloadCommand, 'payload'>,
    ready: Prepared,
    parts: (writer: RecordBatchWriter) => AsyncIterable<NormalisedPayload>,
  ): Promise<IngestResult> {
    const { scope, system, school, coverage, stored } = ready;
    const batchId = this.newId();
    const receivedAt = this.clock.now();
    const writer = await this.batches.beginBatch(scope, {
      id: batchId,
      submittedBy: command.actor.subject,
      receivedAt,
      school,
      sourceSystem: system,
    });
    const quarantined: QuarantinedInput[] = [];
    let recordCount = 0;
    let lessonCount = 0;
    let changes: BatchChanges;
    try {
      for await (const result of parts(writer)) {
        const part = await this.writePart(writer, ready, result);
        recordCount += part.records;
        lessonCount += part.lessons;
        for (const item of part.quarantined) quarantined.push(item);
      }
      changes = await writer.finish({
        coverage,
        // A timetable payload (lessons, no records) replaces lessons within the coverage, never records.
        covers: recordCount === 0 && lessonCount > 0 ? 'lessons' : 'records',
        quarantined,
        events: recordsChangedEvents(batchId, scope.board),
      });
    } catch (error) {
      await writer.abort();
      throw error;
    }
    return {
      batchId,
      status: 'PROCESSED',
      recordCount,
      quarantinedCount: quarantined.length,
      quarantined: quarantined.map(summary),
      mapping: stored ? { version: stored.version } : null,
      changes: {
        created: changes.created,
        updated: changes.updated,
        deleted: changes.deleted,
        unchanged: changes.unchanged,
      },
      lessons: { stored: changes.lessonsStored, removed: changes.lessonsRemoved },
      coverage,
    };
  }

  private async writePart(
    writer: RecordBatchWriter,
    ready: Prepared,
    result: NormalisedPayload,
  ): Promise<{ records: number; lessons: number; quarantined: readonly QuarantinedInput[] }> {
    const { school } = ready;
    const records = result.records;
    const outOfScope: QuarantinedInput[] = [];
    let written = 0;
    for (let i = 0; i < records.length; i += INGEST_SLICE) {
      const slice: CanonicalRecord[] = [];
      for (let j = i; j < Math.min(i + INGEST_SLICE, records.length); j++) {
        slice.push(withSchool(records[j], school));
      }
      const placed = await inScope(ready, slice, outOfScope);
      written += placed.length;
      if (placed.length > 0) await writer.appendRecords(placed);
    }
    // A lesson whose times are impossible was quarantined by normalisation: it is not stored as timetable.
    const rejected = new Set(result.quarantined.map((item) => item.raw));
    const lessons = result.lessons.filter((lesson) => !rejected.has(lesson));
    await writer.appendLessons(school, lessons);
    return {
      records: written,
      lessons: lessons.length,
      quarantined: outOfScope.length > 0 ? [...result.quarantined, ...outOfScope] : result.quarantined,
    };
  }

  /** The stored lessons of the payload's pupils on its days (with a margin), for clock times and whole days. */
  private async storedLessonsFor(
    writer: RecordBatchWriter,
    school: string,
    parsed: AdapterOutput,
  ): Promise<Lesson[]> {
    if (parsed.records.length === 0) return [];
    const range = dayRange(parsed.records);
    if (range === null) return [];
    const pupils = [...new Set(parsed.records.map((r) => r.pupil.localId))];
    return writer.lessonsFor(
      school,
      pupils,
      shiftDate(range.from, -LESSON_WINDOW_DAYS),
      shiftDate(range.to, LESSON_WINDOW_DAYS),
    );
  }
}

/**
 * The records the caller may write (ADR 0017); the others are quarantined, never dropped: a school named by the
 * payload outside the scope, or (shared administration) a pupil registered at a school outside it.
 */
async function inScope(
  ready: Prepared,
  records: readonly CanonicalRecord[],
  quarantine: QuarantinedInput[],
): Promise<CanonicalRecord[]> {
  const { scope, pupils } = ready;
  const quarantineOf = (record: CanonicalRecord, detail: string): QuarantinedInput => ({
    quarantined: true,
    sourceSystem: record.sourceSystem,
    sourceId: record.sourceId,
    reason: 'PUPIL_OUT_OF_SCOPE',
    detail,
    raw: record,
  });
  const covered: CanonicalRecord[] = [];
  for (const record of records) {
    if (scopeCoversSchool(scope, record.school?.brin)) covered.push(record);
    else quarantine.push(quarantineOf(record, 'school.brin names a school outside this token'));
  }
  if (!pupils) return covered;
  const { placed, refused } = await placeRecords(pupils, scope, covered);
  for (const { index } of refused) {
    quarantine.push(
      quarantineOf(covered[index], 'the pupil is not registered at a school this token may write for'),
    );
  }
  return placed;
}

interface Prepared {
  readonly scope: BoardScope;
  readonly system: SourceSystemId;
  readonly school: string;
  readonly coverage: RecordCoverage | null;
  readonly stored: { readonly version: string } | null;
  readonly mapping: ReasonMapping | null;
  readonly bell: readonly BellSlot[] | null;
  readonly adapter: SourceAdapter;
  /** Loaded before the batch begins (ADR 0017); null: no registry check. */
  readonly pupils: PupilView | null;
}

function emptyPayload(): ValidationError {
  return new ValidationError(INGEST_PAYLOAD_ERRORS.PAYLOAD_EMPTY, 'The payload is empty', [
    {
      field: 'body',
      code: INGEST_PAYLOAD_ERRORS.PAYLOAD_EMPTY,
      message: 'send the school system payload as the body',
    },
  ]);
}

/** ASCII white space and the bytes of a UTF-8 byte order mark: what `String#trim` would leave out. */
function blank(chunk: string | Uint8Array): boolean {
  if (typeof chunk === 'string') return chunk.trim() === '';
  for (const byte of chunk) {
    if (
      byte !== 0x20 &&
      byte !== 0x09 &&
      byte !== 0x0a &&
      byte !== 0x0d &&
      byte !== 0xef &&
      byte !== 0xbb &&
      byte !== 0xbf
    ) {
      return false;
    }
  }
  return true;
}

/**
 * The stream read up to its first chunk with content, or null when it has none (an empty body): `chunks` gives
 * the chunks read so far again, then the rest of the stream as it arrives; `release` ends the source early.
 */
async function nonEmpty(
  source: PayloadChunks,
): Promise<{ chunks: AsyncIterable<string | Uint8Array>; release(): Promise<void> } | null> {
  const iterator: AsyncIterator<string | Uint8Array> | Iterator<string | Uint8Array> =
    Symbol.asyncIterator in source ? source[Symbol.asyncIterator]() : source[Symbol.iterator]();
  const head: (string | Uint8Array)[] = [];
  for (;;) {
    const next = await iterator.next();
    if (next.done === true) return null;
    head.push(next.value);
    if (!blank(next.value)) break;
  }
  let done = false;
  const release = async (): Promise<void> => {
    if (done) return;
    done = true;
    await iterator.return?.();
  };
  async function* chunks(): AsyncGenerator<string | Uint8Array> {
    try {
      yield* head;
      for (;;) {
        const next = await iterator.next();
        if (next.done === true) {
          done = true;
          return;
        }
        yield next.value;
      }
    } finally {
      // A reader that stops early (a failed batch) releases the source (a file handle, a request).
      await release();
    }
  }
  return { chunks: chunks(), release };
}

const DATE = /^\d{4}-\d{2}-\d{2}/;

/** First and last calendar date any record names (dates and the date part of its times). */
function dayRange(records: readonly SourceRecord[]): { from: string; to: string } | null {
  let from: string | null = null;
  let to: string | null = null;
  for (const record of records) {
    for (const value of [record.date, record.start, record.end]) {
      if (typeof value !== 'string' || !DATE.test(value)) continue;
      const day = value.slice(0, 10);
      if (from === null || day < from) from = day;
      if (to === null || day > to) to = day;
    }
  }
  return from === null || to === null ? null : { from, to };
}

function shiftDate(date: string, days: number): string {
  const ms = Date.parse(`${date}T00:00:00Z`);
  if (Number.isNaN(ms)) return date;
  return new Date(ms + days * 86_400_000).toISOString().slice(0, 10);
}

function summary(item: QuarantinedInput): { sourceId: string | null; reason: string; detail: string } {
  return { sourceId: item.sourceId, reason: item.reason, detail: item.detail };
}

/** A stored mapping was validated when saved; failing now means the store was altered. */
export function toMapping(value: unknown): ReasonMapping {
  const parsed = parseReasonMapping(value);
  if (!parsed.ok)
    throw new DomainError(
      INGEST_PAYLOAD_ERRORS.STORED_MAPPING_INVALID,
      'internal',
      'A stored reason mapping is invalid',
    );
  return parsed.value;
}
