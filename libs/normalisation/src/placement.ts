// Placing a record in time: the state one record's placement shares, and adding its canonical records.
import { type Category, type LegalClass, type SourceRecord, stableId } from '#domain';
import { MINUTE_MS, dateKeyOfDay } from './amsterdam-time.js';
import { FALLBACK_MAPPING, type RecordFactory } from './canonical-record.js';
import type { Categorised, Drafts } from './drafts.js';
import type { ScheduledLesson, Timetable } from './timetable.js';

/** What is known about a record's times once the source's traps are undone. */
export interface Times {
  /** The record's own start and end as instants (exclusive end), when they are real times. */
  readonly startMs: number | null;
  readonly endMs: number | null;
  readonly arrivedMs: number | null;
  /** The first school-local day the record names; null when it names none. */
  readonly firstDay: number | null;
  /** The last school-local day its end reaches (inclusive); null when it has no end. */
  readonly endDay: number | null;
  readonly hourFrom: number | null;
  readonly hourTo: number | null;
}

/**
 * Everything the piece builders share for one record: the record, its category, its times, the timetable. One
 * placement serves every record of one normalise call in turn (normalising is synchronous and a record's
 * placement never outlives its `place`): no object per record, and nothing kept in the module.
 */
export class Placement implements Times {
  private baseId: string | null = null;
  record!: SourceRecord;
  categorised!: Categorised;
  startMs: number | null = null;
  endMs: number | null = null;
  arrivedMs: number | null = null;
  firstDay: number | null = null;
  endDay: number | null = null;
  hourFrom: number | null = null;
  hourTo: number | null = null;

  /** One reused one-element list: `single` only iterates its lessons, never keeps them (no array per record). */
  private readonly one: ScheduledLesson[] = [];

  constructor(
    readonly timetable: Timetable,
    readonly drafts: Drafts,
    readonly factory: RecordFactory,
  ) {}

  /** Starts placing the next record: its category and its times as `readTimes` read them. */
  reset(
    record: SourceRecord,
    categorised: Categorised,
    startMs: number | null,
    endMs: number | null,
    arrivedMs: number | null,
    firstDay: number | null,
    endDay: number | null,
    hourFrom: number | null,
    hourTo: number | null,
  ): Placement {
    this.baseId = null;
    this.record = record;
    this.categorised = categorised;
    this.startMs = startMs;
    this.endMs = endMs;
    this.arrivedMs = arrivedMs;
    this.firstDay = firstDay;
    this.endDay = endDay;
    this.hourFrom = hourFrom;
    this.hourTo = hourTo;
    return this;
  }

  /** `lesson` as a list of one, the same reused array each time: valid until the next call. */
  only(lesson: ScheduledLesson): readonly ScheduledLesson[] {
    this.one[0] = lesson;
    return this.one;
  }

  get id(): string {
    this.baseId ??= stableId(
      'rec',
      this.record.sourceSystem,
      this.record.sourceRecordType,
      this.record.sourceId,
    );
    return this.baseId;
  }

  /** Ids of the records a whole day (or span) expands to: one per day, or per lesson on a day. */
  expandedId(day: number, lessonId?: string): string {
    const r = this.record;
    return lessonId === undefined
      ? stableId('rec', r.sourceSystem, r.sourceRecordType, r.sourceId, dateKeyOfDay(day))
      : stableId('rec', r.sourceSystem, r.sourceRecordType, r.sourceId, dateKeyOfDay(day), lessonId);
  }

  /** Adds one canonical record of this source item to the batch. */
  add(fields: {
    recordId: string;
    day: number;
    startMs: number | null;
    endMs: number | null;
    wholeDay: boolean;
    lessonHourFrom: number | null;
    lessonHourTo: number | null;
    missedMs: number | null;
    missedLessons: number | null;
    /** The lesson (or all the lessons) it falls in were cancelled: a timetable adjustment, not absence. */
    cancelled?: boolean;
  }): void {
    this.addRecord(
      fields.recordId,
      fields.day,
      fields.startMs,
      fields.endMs,
      fields.wholeDay,
      fields.lessonHourFrom,
      fields.lessonHourTo,
      fields.missedMs,
      fields.missedLessons,
      fields.cancelled === true,
    );
  }

  /** `add` with its fields as arguments: the hot paths' way, without a fields object per record. */
  addRecord(
    recordId: string,
    day: number,
    startMs: number | null,
    endMs: number | null,
    wholeDay: boolean,
    lessonHourFrom: number | null,
    lessonHourTo: number | null,
    missedMs: number | null,
    missedLessonsGiven: number | null,
    cancelled: boolean,
  ): void {
    const c = this.categorised;
    const adjusted = cancelled && isAbsence(c.legalClass);
    const category: Category = adjusted ? 'TIMETABLE_ADJUSTMENT' : c.category;
    let missedMinutes = missedMs === null ? null : toMinutes(missedMs);
    let missedLessons = missedLessonsGiven;
    if (category === 'PRESENT') {
      // Present means nothing was missed, whatever the lesson's length.
      missedMinutes = startMs !== null && endMs !== null ? 0 : null;
      missedLessons = 0;
    }
    this.drafts.add(
      this.record,
      day,
      startMs,
      endMs,
      this.factory.draftOf(
        this.record,
        recordId,
        day,
        startMs,
        endMs,
        wholeDay,
        lessonHourFrom,
        lessonHourTo,
        category,
        adjusted ? 'not_absence' : c.legalClass,
        // The timetable, not the school's reason table, made this an adjustment.
        adjusted ? FALLBACK_MAPPING : this.factory.mappingOf(c.mapping),
        missedMinutes,
        missedLessons,
      ),
    );
  }
}

export const isAbsence = (legalClass: LegalClass): boolean =>
  legalClass === 'authorised' || legalClass === 'unauthorised' || legalClass === 'pending';

export const isLate = (category: Category): boolean =>
  category === 'LATE_AUTHORISED' || category === 'LATE_UNAUTHORISED';

/** Whole minutes, rounded; never negative. */
export const toMinutes = (ms: number): number => Math.max(0, Math.round(ms / MINUTE_MS));
