import type { CanonicalRecord, SourceSystemId } from './canonical-record.js';
import type { Lesson, QuarantinedInput } from './source-record.js';

/**
 * What a payload declares it covers completely: every record of this board, school and system (and pupil, when
 * given) whose school-local date lies in `from..to` (inclusive) is in the payload. A stored record inside the
 * coverage that the payload lacks has disappeared upstream and gets a deletion version. Without a coverage
 * nothing is ever deleted (ADR 0009).
 */
export interface RecordCoverage {
  readonly school: string;
  readonly system: SourceSystemId;
  /** YYYY-MM-DD, inclusive. */
  readonly from: string;
  /** YYYY-MM-DD, inclusive. */
  readonly to: string;
  /** The source system's pupil id (canonical `pupil.localId`): the coverage is this pupil's records only. */
  readonly pupil?: string;
}

/** What a batch changed in the store of current canonical records. */
export interface BatchChanges {
  /** Records stored by this batch that did not exist (or were deleted) before. */
  readonly created: number;
  /** Records whose content changed: a new version supersedes the old one. */
  readonly updated: number;
  /** Records inside the coverage that the payload no longer holds: a deletion version. */
  readonly deleted: number;
  /** Records sent again exactly as stored: nothing written. */
  readonly unchanged: number;
  /** Timetable lessons written (new or changed) and removed within the coverage. */
  readonly lessonsStored: number;
  readonly lessonsRemoved: number;
}

export interface BatchHeader {
  readonly id: string;
  readonly submittedBy: string;
  readonly receivedAt: Date;
  /** Raw ingest: the school (BRIN) and system the payload came from. */
  readonly school?: string;
  readonly sourceSystem?: SourceSystemId;
}

export interface FinishBatch {
  /** null: nothing is deleted, whatever the payload lacks. */
  readonly coverage: RecordCoverage | null;
  /**
   * What the coverage replaces: records (absence data, the default) or lessons (a timetable payload). A
   * timetable payload never deletes records, an absence payload never removes lessons.
   */
  readonly covers?: 'records' | 'lessons';
  readonly quarantined?: readonly QuarantinedInput[];
  /** Replay: quarantine entries this batch resolves, marked in the same transaction. */
  readonly resolves?: readonly string[];
  /**
   * The outbox events announcing one part of what the batch changed, decided by the caller (the ingest's use
   * case): the writer pages through the changed records (record-id order, at most `CHANGED_EVENT_IDS` a part),
   * asks for each part's events and stores them in the batch's transaction. Not called when the batch changed
   * nothing: such a batch emits no event. Either way the batch commits as `PROCESSED` (there is no further step).
   */
  readonly events: (changed: ChangedRecords) => readonly BatchEvent[];
}

/** One part of what a batch changed: record ids only, in record-id order, at most `CHANGED_EVENT_IDS` in all. */
export interface ChangedRecords {
  /** 1..`parts`. */
  readonly part: number;
  readonly parts: number;
  /** New records, and records back after a deletion. */
  readonly created: readonly string[];
  readonly updated: readonly string[];
  readonly deleted: readonly string[];
}

/** An outbox event of the batch (structurally `OutboxEvent` of `ports.ts`, which imports this file). */
export interface BatchEvent {
  readonly type: string;
  readonly version: number;
  readonly idempotencyKey: string;
  readonly payload: unknown;
}

/**
 * One batch being written: `beginBatch → appendRecords/appendLessons (slices, as they are normalised) → finish`.
 * Everything commits together in `finish`, with the batch's outbox events and its status `PROCESSED`; `abort`
 * rolls back.
 */
export interface RecordBatchWriter {
  readonly batchId: string;
  appendRecords(records: readonly CanonicalRecord[]): Promise<void>;
  appendLessons(school: string, lessons: readonly Lesson[]): Promise<void>;
  /**
   * Stored lessons (as `TimetableRepository.lessonsFor`), read on the batch's own connection: embedded PGlite
   * serves one transaction at a time, so a read on another connection would wait for this batch to end.
   */
  lessonsFor(school: string, pupils: readonly string[], from: string, to: string): Promise<Lesson[]>;
  finish(options: FinishBatch): Promise<BatchChanges>;
  abort(): Promise<void>;
}

/** The outbox event of a batch that changed records: references only, never personal data. */
export const CANONICAL_RECORDS_CHANGED = { type: 'canonical-records.changed', version: 1 } as const;

/** Large batches are split into several events, `part` 1..`parts`, each with at most 10,000 ids. */
export interface CanonicalRecordsChangedV1 extends ChangedRecords {
  readonly batchId: string;
  readonly board: string;
}

/** At most this many record ids per `canonical-records.changed` event. */
export const CHANGED_EVENT_IDS = 10_000;

/** A school's bell schedule as stored (the `parseBellSchedule` shape of `#normalisation`). */
export interface StoredBellSchedule {
  readonly school: string;
  readonly slots: readonly { readonly lessonHour: number; readonly start: string; readonly end: string }[];
  readonly updatedAt: string;
  readonly updatedBy: string;
}

export const TIMETABLE_REPOSITORY = Symbol('TimetableRepository');
/** The stored timetables (from ingested timetable payloads) and bell schedules, per board and school. */
export interface TimetableRepository {
  /** Lessons of these pupils (and lessons without a pupil) on days `from..to` inclusive. */
  lessonsFor(
    board: string,
    school: string,
    pupils: readonly string[],
    from: string,
    to: string,
  ): Promise<Lesson[]>;
  bellSchedule(board: string, school: string): Promise<StoredBellSchedule | null>;
  saveBellSchedule(board: string, schedule: Omit<StoredBellSchedule, 'updatedAt'>, at: Date): Promise<void>;
}
