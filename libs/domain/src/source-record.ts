import type { RegisteredVia, SourceSystemId } from './canonical-record.js';

/**
 * What an adapter makes of one item in a school system's payload, before normalisation: the system's own
 * facts in a system-neutral shape. Adapters translate field names and traps (Magister's date-only UTC
 * midnights, SOMtoday's `links[0].id`, EduArte's inclusive ends); normalisation decides categories,
 * clock times and lesson expansion.
 *
 * Times: ISO 8601. With an offset or `Z` they are instants; without one (`2025-11-05T08:30:00`) they are
 * wall-clock time in Europe/Amsterdam, which normalisation resolves (DST included).
 */
export interface SourceRecord {
  readonly sourceSystem: SourceSystemId;
  /** e.g. "absentie", "absentiemelding", "waarneming", "aggregate", "dagdeel". */
  readonly sourceRecordType: string;
  /** The source's own id, as given. */
  readonly sourceId: string;
  readonly pupil: { readonly localId: string; readonly leerlingnummer?: string };
  readonly school: { readonly brin?: string; readonly vestiging?: string } | null;
  readonly via: RegisteredVia;
  /** The system's generic kind, translated (categories.md §3). */
  readonly kind: GenericKind;
  /** The source's authorised flag as booked by the school (`Geoorloofd`, `geoorloofd`); null when absent. */
  readonly authorisedFlag: boolean | null;
  /** The school-defined reason code (Magister `Code`, SOMtoday/EduArte `afkorting`); null when none. */
  readonly reasonCode: string | null;
  /** School-local date when the source gives only a date (or the record's own date); else null. */
  readonly date: string | null;
  readonly start: string | null;
  readonly end: string | null;
  /** The source's end time is inclusive (EduArte whole days end 23:59:59). */
  readonly endInclusive: boolean;
  readonly lessonHourFrom: number | null;
  readonly lessonHourTo: number | null;
  /** The source marks the whole day (or a span of whole days from `date`/`start` to `end`). */
  readonly wholeDay: boolean;
  /** For lateness: when the pupil arrived, if the source says so. */
  readonly arrivedAt: string | null;
  /** Id of the lesson (timetable item) this record refers to, when the source links one. */
  readonly lessonRef: string | null;
  /** The lesson itself when the source embeds it (Magister `Afspraak`). */
  readonly lesson: Lesson | null;
  /** For a teacher check: the source id of the absence report the source links it to, if any. */
  readonly explainedByRef: string | null;
  /** Only for `via: 'AGGREGATE'` (OSO dossier, SOMtoday overview buckets). */
  readonly aggregate: SourceAggregate | null;
}

/** The generic kinds the systems distinguish (categories.md §3); a school's reason mapping refines them. */
export const GENERIC_KINDS = [
  'ABSENT',
  'LATE',
  'SICK',
  'SENT_OUT',
  'EXEMPTION',
  'PRESENT',
  'NOT_SCHEDULED',
  /** Books/homework/material remarks: not attendance, dropped without quarantine. */
  'NOT_ATTENDANCE',
] as const;
export type GenericKind = (typeof GENERIC_KINDS)[number];

export interface SourceAggregate {
  readonly unit: 'DAY_PART' | 'HOUR' | 'MINUTE' | 'LESSON';
  readonly authorised: number | null;
  readonly unauthorised: number | null;
  /** First and last day the totals cover (inclusive), when known. */
  readonly from: string | null;
  readonly to: string | null;
}

/** A lesson of a pupil's timetable (contracts §3). */
export interface Lesson {
  readonly lessonId: string;
  readonly pupil?: string;
  readonly date: string;
  readonly start: string;
  readonly end: string;
  readonly lessonHour: number | null;
  readonly durationMinutes: number;
  readonly cancelled: boolean;
  readonly subject?: string;
  readonly group?: string;
  readonly sourceSystem: SourceSystemId;
  readonly sourceId: string;
}

/** Coded reasons an input item is kept in quarantine instead of being dropped or guessed at. */
export const QUARANTINE_REASONS = [
  'MALFORMED_PAYLOAD',
  'MISSING_FIELD',
  'WRONG_TYPE',
  'UNKNOWN_KIND',
  'UNMAPPED_REASON',
  'IMPOSSIBLE_TIME',
  'UNKNOWN_PUPIL',
  /** The record names a school, or (shared administration) a pupil, outside the sender's scope (ADR 0017). */
  'PUPIL_OUT_OF_SCOPE',
] as const;
export type QuarantineReason = (typeof QUARANTINE_REASONS)[number];

/** An input item that could not become a record. Never lost: stored and replayed after a fix. */
export interface QuarantinedInput {
  readonly quarantined: true;
  readonly sourceSystem: SourceSystemId;
  /** The source's id when it could be read; null when the item had none. */
  readonly sourceId: string | null;
  readonly reason: QuarantineReason;
  /** What is wrong, naming fields, never quoting values (they may be personal data). */
  readonly detail: string;
  /** The raw item, kept inside the school's own store for replay; never logged, never sent. */
  readonly raw: unknown;
}

/** What an adapter returns for one payload. */
export interface AdapterOutput {
  readonly records: readonly SourceRecord[];
  readonly lessons: readonly Lesson[];
  readonly quarantined: readonly QuarantinedInput[];
}

/** One source system's inbound adapter (architecture: one port + a registry keyed by system id). */
export interface SourceAdapter {
  readonly system: SourceSystemId;
  /** What this adapter reads: absence data, a timetable, or both. */
  readonly produces: readonly ('records' | 'lessons')[];
  /** Parses one payload. Never throws for bad content: a payload that cannot be read at all is one quarantined item. */
  parse(payload: string, context?: AdapterContext): AdapterOutput;
  /**
   * Optional: parses a payload that arrives as chunks (a file or request body read as a stream), yielding its
   * output in bounded batches (a few thousand items each) so that neither the text nor the parsed document is
   * held whole. The batches together hold what `parse` gives for a well-formed payload. Never throws for bad
   * content: a fault (truncated or invalid text) keeps the items read before it and quarantines the
   * unreadable rest as MALFORMED_PAYLOAD. Adapters without it are read whole.
   */
  parseStream?(chunks: PayloadChunks, context?: AdapterContext): AsyncIterable<AdapterOutput>;
}

/** A payload as it arrives: text or UTF-8 bytes, in chunks of any size. */
export type PayloadChunks = AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array>;

/**
 * What the transport knows that the payload does not say: Magister's `/personen/{id}/absenties` and SOMtoday's
 * `/leerlingen/{id}/registratieOverzicht` name the pupil only in the URL. Adapters that don't need it ignore it.
 */
export interface AdapterContext {
  /** The source system's own pupil id (Magister PersoonId, SOMtoday leerling id). */
  readonly pupilId?: string;
  /**
   * The largest one item of a streamed payload may be, in characters (INGEST_ITEM_MAX_BYTES, ADR 0013): a
   * longer item (or a stretch of text that never completes one) fails the stream with TooLargeError
   * ITEM_TOO_LARGE. Unset: no limit.
   */
  readonly itemMaxBytes?: number;
  /** The largest payload read whole (a format without a streaming reader), in bytes (INGEST_DOCUMENT_MAX_BYTES). */
  readonly documentMaxBytes?: number;
}
