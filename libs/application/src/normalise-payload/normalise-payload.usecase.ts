import {
  type AdapterContext,
  type AdapterOutput,
  type CanonicalRecord,
  type Lesson,
  type PayloadChunks,
  type QuarantinedInput,
  type SourceAdapter,
  collectPayload,
  ValidationError,
} from '#domain';
import {
  type BellSlot,
  NormaliseCarry,
  type PageLinks,
  type ReasonMapping,
  finishBatches,
  normalise,
} from '#normalisation';
import { yieldToEventLoop } from '../shared/event-loop.js';
import { NORMALISE_PAYLOAD_ERRORS } from './normalise-payload-error-codes.js';

export interface NormalisePayloadCommand {
  readonly adapter: SourceAdapter;
  readonly payload: string;
  /** The school's reason mapping for this system; null: the system's fallback rules only. */
  readonly mapping: ReasonMapping | null;
  /** A timetable payload (Zermelo appointments, Magister or SOMtoday afspraken) and its adapter. */
  readonly timetable: { readonly adapter: SourceAdapter; readonly payload: string } | null;
  readonly bellSchedule: readonly BellSlot[] | null;
  /** The source's pupil id when only the transport knows it (Magister, SOMtoday overview). */
  readonly pupilId?: string;
}

/** A payload that arrives as a stream (a file, a request body): the same command with chunks for the text. */
export interface NormaliseStreamCommand extends Omit<NormalisePayloadCommand, 'payload'> {
  readonly chunks: PayloadChunks;
  /**
   * Lessons stored earlier for one parsed batch (as the ingest path loads them per batch): used for clock times
   * and whole days like `normaliseParsed`'s `storedLessons`; never part of the yielded `lessons`.
   */
  readonly lessonsFor?: (parsed: AdapterOutput) => Promise<readonly Lesson[]>;
  /** Bounded input (ADR 0013); unset: unbounded (the CLI reading a local file). */
  readonly limits?: PayloadLimits;
}

/** How large one item of a streamed payload, and a payload read whole, may be. */
export interface PayloadLimits {
  /** Characters of one item of a streamed format (INGEST_ITEM_MAX_BYTES): longer is TooLargeError ITEM_TOO_LARGE. */
  readonly itemMaxBytes?: number;
  /** Bytes of a payload in a format read whole (INGEST_DOCUMENT_MAX_BYTES): more is TooLargeError DOCUMENT_TOO_LARGE. */
  readonly documentMaxBytes?: number;
}

export interface NormalisedPayload {
  readonly records: readonly CanonicalRecord[];
  readonly lessons: readonly Lesson[];
  readonly quarantined: readonly QuarantinedInput[];
}

/**
 * One source payload → canonical records: the single path the CLI and the ingest endpoint share.
 * Pure: the caller reads files or request bodies and stores the result.
 */
export class NormalisePayloadUseCase {
  execute(command: NormalisePayloadCommand): NormalisedPayload {
    return this.normaliseParsed(this.parse(command), command);
  }

  /** Step one: the adapter reads the payload (and the timetable payload, if any). */
  parse(command: Omit<NormalisePayloadCommand, 'bellSchedule'>): AdapterOutput {
    checkMapping(command);
    const context = command.pupilId === undefined ? undefined : { pupilId: command.pupilId };
    const parsed: AdapterOutput = command.adapter.parse(command.payload, context);
    if (command.timetable === null) return parsed;
    const timetable = command.timetable.adapter.parse(command.timetable.payload, context);
    return {
      records: parsed.records,
      lessons: [...parsed.lessons, ...timetable.lessons],
      quarantined: [...parsed.quarantined, ...timetable.quarantined],
    };
  }

  /**
   * Step two: normalisation with the payload's lessons, plus `storedLessons` (a timetable stored earlier, as the
   * ingest path loads it) and the bell schedule. `lessons` of the result are the payload's own. With `links`,
   * the records may include teacher checks of earlier pages whose link this page changed.
   */
  normaliseParsed(
    parsed: AdapterOutput,
    context: {
      readonly mapping: ReasonMapping | null;
      readonly bellSchedule: readonly BellSlot[] | null;
      readonly storedLessons?: readonly Lesson[];
      /** One page of a run whose pages are stored as batches of their own: links across them (`PageLinks`). */
      readonly links?: PageLinks;
    },
  ): NormalisedPayload {
    const stored = context.storedLessons ?? [];
    const normalised = normalise(
      parsed.records,
      {
        mapping: context.mapping,
        lessons: stored.length === 0 ? parsed.lessons : [...parsed.lessons, ...stored],
        bellSchedule: context.bellSchedule,
      },
      context.links,
    );
    return {
      records: normalised.records,
      lessons: parsed.lessons,
      quarantined:
        normalised.quarantined.length === 0
          ? parsed.quarantined
          : [...parsed.quarantined, ...normalised.quarantined],
    };
  }

  /**
   * A payload read as a stream, normalised batch by batch as the adapter yields them (`parseStream`; an adapter
   * without it reads the collected text whole): neither the text nor the parsed document is held whole. Each
   * yielded part is sorted like `execute`'s output; for a payload of one batch the one part equals `execute`'s
   * output. Teacher checks are linked to reports across batches (they come with the last part); records other
   * than those are de-duplicated within their batch only (see `NormaliseCarry`). A truncated stream keeps the
   * items read before the fault and quarantines the rest (MALFORMED_PAYLOAD).
   */
  async *stream(command: NormaliseStreamCommand): AsyncGenerator<NormalisedPayload> {
    checkMapping(command);
    const { itemMaxBytes, documentMaxBytes } = command.limits ?? {};
    const context: AdapterContext | undefined =
      command.pupilId === undefined && itemMaxBytes === undefined && documentMaxBytes === undefined
        ? undefined
        : {
            ...(command.pupilId === undefined ? {} : { pupilId: command.pupilId }),
            ...(itemMaxBytes === undefined ? {} : { itemMaxBytes }),
            ...(documentMaxBytes === undefined ? {} : { documentMaxBytes }),
          };
    const timetable: AdapterOutput | null = command.timetable
      ? command.timetable.adapter.parse(command.timetable.payload, context)
      : null;
    const { adapter } = command;
    const batches =
      adapter.parseStream === undefined
        ? whole(adapter, command.chunks, context, command.limits?.documentMaxBytes)
        : adapter.parseStream(command.chunks, context);
    const carry = new NormaliseCarry();
    // One part is held back, so that the held teacher checks join the last one.
    let pending: NormalisedPayload | null = null;
    let first = true;
    for await (const parsed of batches) {
      if (pending !== null) yield pending;
      const lessons = first ? [...parsed.lessons, ...(timetable?.lessons ?? [])] : parsed.lessons;
      const own = first ? lessons : [...parsed.lessons, ...(timetable?.lessons ?? [])];
      const stored = command.lessonsFor === undefined ? [] : await command.lessonsFor(parsed);
      // Reading the batch and normalising it are synchronous: other requests get their turn in between.
      await yieldToEventLoop();
      const normalised = normalise(
        parsed.records,
        {
          mapping: command.mapping,
          lessons: stored.length === 0 ? own : [...own, ...stored],
          bellSchedule: command.bellSchedule,
        },
        carry,
      );
      pending = {
        records: normalised.records,
        lessons,
        quarantined: [
          ...parsed.quarantined,
          ...(first ? (timetable?.quarantined ?? []) : []),
          ...normalised.quarantined,
        ],
      };
      first = false;
    }
    const checks = finishBatches(carry);
    const last: NormalisedPayload = pending ?? {
      records: [],
      lessons: [...(timetable?.lessons ?? [])],
      quarantined: [...(timetable?.quarantined ?? [])],
    };
    yield {
      records: mergeById(last.records, checks.records),
      lessons: last.lessons,
      quarantined: [...last.quarantined, ...checks.quarantined],
    };
  }
}

/** Two lists sorted by recordId, merged (ids compared as the engine's default sort does). */
function mergeById(a: readonly CanonicalRecord[], b: readonly CanonicalRecord[]): CanonicalRecord[] {
  if (b.length === 0) return [...a];
  const out: CanonicalRecord[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) out.push(b[j].recordId < a[i].recordId ? b[j++] : a[i++]);
  while (i < a.length) out.push(a[i++]);
  while (j < b.length) out.push(b[j++]);
  return out;
}

async function* whole(
  adapter: SourceAdapter,
  chunks: PayloadChunks,
  context: AdapterContext | undefined,
  maxBytes = Number.POSITIVE_INFINITY,
): AsyncGenerator<AdapterOutput> {
  yield adapter.parse(await collectPayload(chunks, maxBytes), context);
}

function checkMapping(command: Pick<NormalisePayloadCommand, 'mapping' | 'adapter'>): void {
  if (command.mapping !== null && command.mapping.system !== command.adapter.system) {
    throw new ValidationError(
      NORMALISE_PAYLOAD_ERRORS.MAPPING_SYSTEM_MISMATCH,
      'The reason mapping is for another school system',
      [
        {
          field: 'mapping.system',
          code: NORMALISE_PAYLOAD_ERRORS.MAPPING_SYSTEM_MISMATCH,
          message: `expected ${command.adapter.system}`,
        },
      ],
    );
  }
}
