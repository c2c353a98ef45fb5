import {
  type CanonicalRecord,
  type Category,
  type LegalClass,
  type Lesson,
  type QuarantineReason,
  type QuarantinedInput,
  type SourceRecord,
  stableId,
} from '#domain';
import {
  DAY_MS,
  MINUTE_MS,
  type ParsedTime,
  SECOND_MS,
  dateKeyOfDay,
  formatLocal,
  localDayOf,
  localWallMs,
  parseDateKey,
  parseTime,
  startOfLocalDay,
  weekdayOfDay,
} from './amsterdam-time.js';
import { type BellSlot, isLessonHour } from './bell-schedule.js';
import { type Categorisation, type MappingSource, categorise } from './categorise.js';
import { type ReasonMapping, normaliseReasonCode } from './reason-mapping.js';
import { MAX_LESSON_MS, type ScheduledLesson, Timetable, scheduleLesson } from './timetable.js';

export interface NormaliseContext {
  /** The school's reason mapping for the records' system; null: the system's fallback rules only. */
  readonly mapping: ReasonMapping | null;
  /** Timetable lessons (any pupil; lessons without `pupil` are a timetable shared by every pupil without one). */
  readonly lessons: readonly Lesson[];
  /** The school's bell schedule, as validated by `parseBellSchedule`; null when unknown. */
  readonly bellSchedule: readonly BellSlot[] | null;
}

export interface NormaliseOutput {
  /** Sorted by recordId. */
  readonly records: CanonicalRecord[];
  /** Records and lessons that could not be used, each with a coded reason; sorted by system, id, reason. */
  readonly quarantined: QuarantinedInput[];
}

/** A span of whole days longer than this is a typo, not an absence (and would expand without bound). */
export const MAX_SPAN_DAYS = 366;

type Categorised = Extract<Categorisation, { outcome: 'category' }>;

/** One canonical record in the making: times as instants, so teacher checks can be matched to reports. */
interface Piece {
  readonly recordId: string;
  readonly record: SourceRecord;
  readonly day: number;
  readonly startMs: number | null;
  readonly endMs: number | null;
  readonly wholeDay: boolean;
  readonly lessonHourFrom: number | null;
  readonly lessonHourTo: number | null;
  readonly category: Category;
  readonly legalClass: LegalClass;
  readonly mapping: MappingSource;
  readonly missedMinutes: number | null;
  readonly missedLessons: number | null;
  explainedBy: string | null;
}

/** Why a record cannot be placed: returned, never thrown, and turned into a quarantined input. */
class Rejection {
  constructor(
    readonly reason: QuarantineReason,
    readonly detail: string,
  ) {}
}

const impossible = (detail: string): Rejection => new Rejection('IMPOSSIBLE_TIME', detail);

/**
 * Source records → canonical records (contracts §2): category and legal class, times in Europe/Amsterdam with
 * their offset, missed minutes and lessons measured against the pupil's timetable, whole days expanded per
 * lesson, teacher checks linked to the reports that explain them. Pure and deterministic: the same records
 * in any order give the same output; inputs are never mutated.
 */
export function normalise(records: readonly SourceRecord[], context: NormaliseContext): NormaliseOutput {
  const timetable = new Timetable(context.lessons, context.bellSchedule);
  const quarantined: QuarantinedInput[] = [...timetable.quarantined];
  const pieces: Piece[] = [];

  for (const record of records) {
    let placed: Piece[] | Rejection;
    if (record.via === 'AGGREGATE') {
      placed = aggregatePieces(record);
    } else {
      const categorised = categorise(record, context.mapping);
      if (categorised.outcome === 'drop') continue;
      placed =
        categorised.outcome === 'quarantine'
          ? new Rejection(categorised.reason, categorised.detail)
          : place(record, categorised, timetable);
    }
    if (placed instanceof Rejection) quarantined.push(quarantine(record, placed.reason, placed.detail));
    else for (const piece of placed) pieces.push(piece);
  }

  linkTeacherChecks(pieces);
  const byId = deduplicate(pieces, quarantined);
  // Sorting the ids with the engine's own string order is much faster than a comparator over records.
  const ids = [...byId.keys()].sort();
  const out = new Array<CanonicalRecord>(ids.length);
  for (let i = 0; i < ids.length; i++) out[i] = toCanonical(byId.get(ids[i])!);
  quarantined.sort(compareQuarantined);
  return { records: out, quarantined };
}

function quarantine(record: SourceRecord, reason: QuarantineReason, detail: string): QuarantinedInput {
  return {
    quarantined: true,
    sourceSystem: record.sourceSystem,
    sourceId: record.sourceId,
    reason,
    detail,
    raw: record,
  };
}

/**
 * One record per recordId. An item given twice (overlapping pulls) counts once. Two different items that give the
 * same recordId (same system, type and id) cannot both be right: the first in a stable order (by content) is
 * kept, the others are quarantined with all their records, so the outcome does not depend on input order.
 */
function deduplicate(pieces: readonly Piece[], quarantined: QuarantinedInput[]): Map<string, Piece> {
  const byId = new Map<string, Piece>();
  let losers: Set<SourceRecord> | null = null;
  for (const piece of pieces) {
    const other = byId.get(piece.recordId);
    if (other === undefined) {
      byId.set(piece.recordId, piece);
      continue;
    }
    if (other.record === piece.record) continue;
    const a = JSON.stringify(other.record);
    const b = JSON.stringify(piece.record);
    if (a === b) continue;
    losers ??= new Set();
    if (b < a) {
      losers.add(other.record);
      byId.set(piece.recordId, piece);
    } else {
      losers.add(piece.record);
    }
  }
  if (losers === null) return byId;
  for (const record of losers) {
    quarantined.push(
      quarantine(record, 'MALFORMED_PAYLOAD', 'sourceId: another item has the same id and different content'),
    );
  }
  const kept = new Map<string, Piece>();
  for (const piece of pieces) {
    if (!losers.has(piece.record) && !kept.has(piece.recordId)) kept.set(piece.recordId, piece);
  }
  return kept;
}

function compareQuarantined(a: QuarantinedInput, b: QuarantinedInput): number {
  const ka = `${a.sourceSystem}\u0000${a.sourceId ?? ''}\u0000${a.reason}\u0000${a.detail}`;
  const kb = `${b.sourceSystem}\u0000${b.sourceId ?? ''}\u0000${b.reason}\u0000${b.detail}`;
  if (ka !== kb) return ka < kb ? -1 : 1;
  const ra = JSON.stringify(a.raw) ?? '';
  const rb = JSON.stringify(b.raw) ?? '';
  return ra < rb ? -1 : ra > rb ? 1 : 0;
}

// ---------------------------------------------------------------------------------------------------------
// Placing a record in time

/** What is known about a record's times once the source's traps are undone. */
interface Times {
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

/** Everything the piece builders share for one record. */
class Placement {
  private baseId: string | null = null;

  constructor(
    readonly record: SourceRecord,
    readonly categorised: Categorised,
    readonly times: Times,
    readonly timetable: Timetable,
  ) {}

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

  piece(fields: {
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
  }): Piece {
    const c = this.categorised;
    const adjusted = fields.cancelled === true && isAbsence(c.legalClass);
    const category: Category = adjusted ? 'TIMETABLE_ADJUSTMENT' : c.category;
    const present = category === 'PRESENT';
    const timed = fields.startMs !== null && fields.endMs !== null;
    return {
      recordId: fields.recordId,
      record: this.record,
      day: fields.day,
      startMs: fields.startMs,
      endMs: fields.endMs,
      wholeDay: fields.wholeDay,
      lessonHourFrom: fields.lessonHourFrom,
      lessonHourTo: fields.lessonHourTo,
      category,
      legalClass: adjusted ? 'not_absence' : c.legalClass,
      // The timetable, not the school's reason table, made this an adjustment.
      mapping: adjusted ? { source: 'fallback' } : c.mapping,
      // Present means nothing was missed, whatever the lesson's length.
      missedMinutes: present ? (timed ? 0 : null) : fields.missedMs === null ? null : toMinutes(fields.missedMs),
      missedLessons: present ? 0 : fields.missedLessons,
      explainedBy: null,
    };
  }
}

const isAbsence = (legalClass: LegalClass): boolean =>
  legalClass === 'authorised' || legalClass === 'unauthorised' || legalClass === 'pending';

const isLate = (category: Category): boolean => category === 'LATE_AUTHORISED' || category === 'LATE_UNAUTHORISED';

/** Whole minutes, rounded; never negative. */
const toMinutes = (ms: number): number => Math.max(0, Math.round(ms / MINUTE_MS));

function place(record: SourceRecord, categorised: Categorised, timetable: Timetable): Piece[] | Rejection {
  const times = readTimes(record);
  if (times instanceof Rejection) return times;
  const p = new Placement(record, categorised, times, timetable);
  const linked = linkedLesson(record, timetable);
  if (linked instanceof Rejection) return linked;
  if (isLate(categorised.category)) return one(placeLate(p, linked));

  const { startMs, endMs, firstDay, hourFrom } = times;
  // Magister: no lesson and no lesson hour means the whole day; so does a record that names only a date.
  const wholeDay = record.wholeDay || (startMs === null && endMs === null && linked === null && hourFrom === null);

  if (wholeDay) {
    if (firstDay === null) return new Rejection('MISSING_FIELD', 'date: a whole-day record without a date');
    return expand(p, firstDay, Math.max(firstDay, times.endDay ?? firstDay), null);
  }

  if (startMs !== null && endMs !== null) {
    const startDay = localDayOf(startMs);
    const endDay = Math.max(startDay, times.endDay ?? startDay);
    if (endDay > startDay) return expand(p, startDay, endDay, { startMs, endMs });
    if (endMs - startMs > MAX_LESSON_MS) return impossible('end: more than 12 hours after start for one lesson');
    return one(single(p, startMs, endMs, linked === null ? null : [linked]));
  }

  if (linked !== null) {
    const s = startMs ?? linked.startMs;
    const e = endMs ?? linked.endMs;
    if (e < s) return impossible('start: after the end of its lesson');
    return one(single(p, s, e, [linked]));
  }

  const day = firstDay ?? (startMs === null ? null : localDayOf(startMs));
  if (day === null) return new Rejection('MISSING_FIELD', 'date: neither a date nor a time');
  if (hourFrom !== null && times.hourTo !== null) {
    const lessons = timetable.lessonsForHours(record.pupil.localId, day, hourFrom, times.hourTo);
    if (lessons !== null) {
      const s = startMs ?? Math.min(...lessons.map((l) => l.startMs));
      const e = Math.max(...lessons.map((l) => l.endMs));
      if (e < s) return impossible('start: after the end of its lesson hours');
      return one(single(p, s, e, lessons));
    }
  }
  // Open-ended (a start without an end), or lesson hours without a bell schedule: the times that are known and
  // no minutes (never guessed).
  return [
    p.piece({
      recordId: p.id,
      day,
      startMs,
      endMs: null,
      wholeDay: false,
      lessonHourFrom: hourFrom,
      lessonHourTo: times.hourTo,
      missedMs: null,
      missedLessons: hourFrom !== null && times.hourTo !== null ? times.hourTo - hourFrom + 1 : null,
    }),
  ];
}

const one = (piece: Piece | Rejection): Piece[] | Rejection => (piece instanceof Rejection ? piece : [piece]);

/** Reads and checks the record's times, undoing the source's traps. */
function readTimes(record: SourceRecord): Times | Rejection {
  for (const field of ['lessonHourFrom', 'lessonHourTo'] as const) {
    const hour = record[field];
    if (hour !== null && hour !== undefined && !isLessonHour(hour)) {
      return impossible(`${field}: outside 0–20 or not an integer`);
    }
  }
  const hourFrom = record.lessonHourFrom ?? record.lessonHourTo ?? null;
  const hourTo = record.lessonHourTo ?? hourFrom;
  if (hourFrom !== null && hourTo !== null && hourTo < hourFrom) return impossible('lessonHourTo: before lessonHourFrom');

  let dateDay: number | null = null;
  if (record.date !== null) {
    dateDay = typeof record.date === 'string' ? parseDateKey(record.date) : null;
    if (dateDay === null) return impossible('date: not a valid date');
  }
  const start = readTime(record.start, 'start');
  if (start instanceof Rejection) return start;
  const end = readTime(record.end, 'end');
  if (end instanceof Rejection) return end;
  const arrived = readTime(record.arrivedAt, 'arrivedAt');
  if (arrived instanceof Rejection) return arrived;
  if (arrived !== null && arrived.form === 'date') return impossible('arrivedAt: a date without a time');

  let startMs: number | null = null;
  let endMs: number | null = null;
  let markedFirst: number | null = null;
  let endDay: number | null = null;
  if (start !== null) {
    if (isDateMarker(start, dateDay)) markedFirst = markerDay(start, dateDay);
    else startMs = start.ms;
  }
  if (end !== null) {
    if (end.form === 'date' || (markedFirst !== null && isDateMarker(end, null))) {
      // A date as the end is the last day, inclusive; so is a Magister midnight after a Magister midnight start.
      endDay = markerDay(end, null);
    } else {
      endMs = end.ms + (record.endInclusive ? inclusiveStep(end.ms) : 0);
      // An exclusive end at midnight reaches the day before; an inclusive one its own day.
      endDay = localDayOf(record.endInclusive ? end.ms : endMs - 1);
    }
  }
  const firstDay = startMs !== null ? localDayOf(startMs) : (dateDay ?? markedFirst);
  if (startMs !== null && endMs !== null && endMs < startMs) return impossible('end: before start');
  // An end before the first day is impossible, except an exclusive end at that day's own midnight (empty).
  if (firstDay !== null && endDay !== null && endDay < firstDay) {
    if (endMs === null || endMs < startOfLocalDay(firstDay)) return impossible('end: before start');
  }
  if (firstDay !== null && endDay !== null && endDay - firstDay >= MAX_SPAN_DAYS) {
    return impossible(`end: a span of more than ${MAX_SPAN_DAYS} days`);
  }
  return { startMs, endMs, arrivedMs: arrived?.ms ?? null, firstDay, endDay, hourFrom, hourTo };
}

function readTime(text: string | null, field: string): ParsedTime | null | Rejection {
  if (text === null || text === undefined) return null;
  const parsed = typeof text === 'string' ? parseTime(text) : null;
  if (parsed === null) return impossible(`${field}: not a valid time (or a local time that does not exist)`);
  return parsed;
}

/**
 * An inclusive end includes its last second: 23:59:59 is the end of the day. An end on a whole minute is read
 * as the moment itself, so an inclusive 08:47:00 stays 08:47:00.
 */
function inclusiveStep(ms: number): number {
  return ms % MINUTE_MS === 59 * SECOND_MS ? SECOND_MS : 0;
}

/**
 * Magister's trap: an absence's Start/Eind hold only the date, written as local midnight in UTC
 * (`2026-01-12T23:00:00Z` is 13 January). A bare date counts too, and so does a UTC midnight on the record's
 * own date. Naive local midnights and times with a non-zero offset are real times (EduArte's whole days).
 */
function isDateMarker(time: ParsedTime, dateDay: number | null): boolean {
  if (time.form === 'date') return true;
  if (!time.zulu) return false;
  if (localWallMs(time.ms) % DAY_MS === 0) return true;
  return dateDay !== null && time.ms === dateDay * DAY_MS;
}

function markerDay(time: ParsedTime, dateDay: number | null): number {
  if (dateDay !== null && time.zulu && time.ms === dateDay * DAY_MS) return dateDay;
  return localDayOf(time.ms);
}

function linkedLesson(record: SourceRecord, timetable: Timetable): ScheduledLesson | null | Rejection {
  if (record.lesson !== null && record.lesson !== undefined) {
    const scheduled = scheduleLesson(record.lesson);
    if (typeof scheduled === 'string') return impossible(`lesson.${scheduled}`);
    return scheduled;
  }
  if (record.lessonRef !== null && record.lessonRef !== undefined) {
    return timetable.lessonByRef(record.lessonRef) ?? null;
  }
  return null;
}

/**
 * One record within one day, from `s` to `e`. With known lessons (the linked one, or the pupil's timetable or
 * bell schedule for that day) the missed time is the overlap with the lessons that were not cancelled, each
 * clipped to its scheduled duration: breaks are not missed time, and a report longer than its lesson is
 * clipped to the lesson. Without any, the record's own span is its lesson.
 */
function single(
  p: Placement,
  s: number,
  e: number,
  given: readonly ScheduledLesson[] | null,
): Piece | Rejection {
  if (e - s > MAX_LESSON_MS) return impossible('end: more than 12 hours after start for one lesson');
  const day = localDayOf(s);
  let lessons = given;
  if (lessons === null) {
    const plan = p.timetable.plan(p.record.pupil.localId, day, true);
    lessons = plan.kind === 'lessons' ? plan.lessons : plan.kind === 'free' ? [] : null;
  }
  const { hourFrom, hourTo } = p.times;
  if (lessons === null) {
    return p.piece({
      recordId: p.id,
      day,
      startMs: s,
      endMs: e,
      wholeDay: false,
      lessonHourFrom: hourFrom,
      lessonHourTo: hourTo,
      missedMs: e - s,
      missedLessons: hourFrom !== null && hourTo !== null ? hourTo - hourFrom + 1 : null,
    });
  }
  const touched = lessons.filter((l) => Math.min(e, l.endMs) - Math.max(s, l.startMs) > 0);
  const held = touched.filter((l) => !l.cancelled);
  const allCancelled = touched.length > 0 && held.length === 0;
  const counted = allCancelled ? touched : held;
  let missed = 0;
  for (const l of counted) missed += Math.min(Math.min(e, l.endMs) - Math.max(s, l.startMs), l.durationMs);
  let from = s;
  let to = e;
  if (touched.length > 0) {
    from = Math.max(s, Math.min(...touched.map((l) => l.startMs)));
    to = Math.min(e, Math.max(...touched.map((l) => l.endMs)));
  }
  const hours = touched.map((l) => l.lessonHour);
  const knownHours = hours.length > 0 && hours.every((h) => h !== null);
  return p.piece({
    recordId: p.id,
    day,
    startMs: from,
    endMs: to,
    wholeDay: false,
    lessonHourFrom: hourFrom ?? (knownHours ? Math.min(...(hours as readonly number[])) : null),
    lessonHourTo: hourTo ?? (knownHours ? Math.max(...(hours as readonly number[])) : null),
    missedMs: missed,
    missedLessons: counted.length,
    cancelled: allCancelled,
  });
}

/**
 * Whole days (clip null) or a span crossing midnight (clipped to its start and end): one record per scheduled
 * lesson on each day when the pupil's timetable or the bell schedule knows the day; otherwise one record per
 * day without times. Days the timetable shows free, and weekend days of a multi-day span that no timetable
 * knows, give no record; a record none of whose days gives one still yields a single record, so nothing is lost.
 */
function expand(
  p: Placement,
  firstDay: number,
  lastDay: number,
  clip: { startMs: number; endMs: number } | null,
): Piece[] {
  const pieces: Piece[] = [];
  const multiDay = lastDay > firstDay;
  let unknownSkipped = false;
  for (let day = firstDay; day <= lastDay; day++) {
    const dayStart = startOfLocalDay(day);
    const dayEnd = startOfLocalDay(day + 1);
    const ws = clip === null ? dayStart : Math.max(clip.startMs, dayStart);
    const we = clip === null ? dayEnd : Math.min(clip.endMs, dayEnd);
    if (we <= ws) continue;
    const full = ws === dayStart && we === dayEnd;
    const plan = p.timetable.plan(p.record.pupil.localId, day, true);
    if (plan.kind === 'lessons') {
      for (const lesson of plan.lessons) {
        const s = Math.max(lesson.startMs, ws);
        const e = Math.min(lesson.endMs, we);
        if (e <= s) continue;
        pieces.push(
          p.piece({
            recordId: p.expandedId(day, lesson.lessonId),
            day,
            startMs: s,
            endMs: e,
            wholeDay: full,
            lessonHourFrom: lesson.lessonHour,
            lessonHourTo: lesson.lessonHour,
            missedMs: Math.min(e - s, lesson.durationMs),
            missedLessons: 1,
            cancelled: lesson.cancelled,
          }),
        );
      }
      continue;
    }
    if (plan.kind === 'free') continue;
    const weekday = weekdayOfDay(day);
    if (multiDay && (weekday === 0 || weekday === 6)) {
      unknownSkipped = true;
      continue;
    }
    pieces.push(
      p.piece({
        recordId: multiDay ? p.expandedId(day) : p.id,
        day,
        startMs: full ? null : ws,
        endMs: full ? null : we,
        wholeDay: full,
        lessonHourFrom: full ? null : p.times.hourFrom,
        lessonHourTo: full ? null : p.times.hourTo,
        missedMs: null,
        missedLessons: null,
      }),
    );
  }
  if (pieces.length > 0) return pieces;
  // Nothing scheduled on any day (0 missed), or only weekend days no timetable knows (unknown).
  return [
    p.piece({
      recordId: p.id,
      day: firstDay,
      startMs: null,
      endMs: null,
      wholeDay: clip === null,
      lessonHourFrom: null,
      lessonHourTo: null,
      missedMs: unknownSkipped ? null : 0,
      missedLessons: unknownSkipped ? null : 0,
    }),
  ];
}

/**
 * A late arrival: the lesson starts at the record's own start, else the linked lesson's, else its lesson hour's
 * (timetable or bell schedule); the pupil arrives at `arrivedAt`, else at the record's end. Missed: from lesson
 * start to arrival, never negative, never longer than the lesson. A late arrival misses no whole lesson, so
 * `missedLessons` is 0; lateness counts in minutes and occurrences.
 */
function placeLate(p: Placement, linked: ScheduledLesson | null): Piece | Rejection {
  const { record, timetable, times } = p;
  const day0 = times.firstDay;
  let hourLesson: ScheduledLesson | null = null;
  if (linked === null && times.hourFrom !== null && day0 !== null) {
    hourLesson = timetable.lessonsForHours(record.pupil.localId, day0, times.hourFrom, times.hourFrom)?.[0] ?? null;
  }
  const lessonStart = times.startMs ?? linked?.startMs ?? hourLesson?.startMs ?? null;
  let lesson = linked ?? hourLesson;
  if (lesson === null && lessonStart !== null) {
    const plan = timetable.plan(record.pupil.localId, localDayOf(lessonStart), true);
    if (plan.kind === 'lessons') {
      lesson = plan.lessons.find((l) => l.startMs <= lessonStart && lessonStart < l.endMs) ?? null;
    }
  }
  const arrival = times.arrivedMs ?? times.endMs;
  const day = lessonStart !== null ? localDayOf(lessonStart) : (day0 ?? (arrival === null ? null : localDayOf(arrival)));
  if (day === null) return new Rejection('MISSING_FIELD', 'date: neither a date nor a time');
  const hourFrom = times.hourFrom ?? lesson?.lessonHour ?? null;
  const hourTo = times.hourTo ?? lesson?.lessonHour ?? null;
  let endMs: number | null = null;
  let missed: number | null = null;
  if (lessonStart !== null && arrival !== null) {
    if (arrival - lessonStart > MAX_LESSON_MS) return impossible('arrivedAt: more than 12 hours after the lesson starts');
    const cap = lesson === null ? Number.POSITIVE_INFINITY : Math.min(lesson.endMs - lessonStart, lesson.durationMs);
    missed = Math.max(0, Math.min(arrival - lessonStart, cap));
    endMs = lessonStart + missed;
  }
  return p.piece({
    recordId: p.id,
    day,
    startMs: lessonStart,
    endMs,
    wholeDay: false,
    lessonHourFrom: hourFrom,
    lessonHourTo: hourTo,
    missedMs: missed,
    missedLessons: 0,
  });
}

// ---------------------------------------------------------------------------------------------------------
// Aggregates (OSO dossier, overview totals)

/**
 * One record per total that is given: unauthorised → UNAUTHORISED, authorised → OTHER (authorised). No times,
 * not a whole day. HOUR and MINUTE totals become missedMinutes; LESSON totals missedLessons; DAY_PART totals
 * (po counts dagdelen as vo counts lessons) also go in missedLessons, with null minutes: a day part has no fixed
 * length. The date is the last day the totals cover.
 */
function aggregatePieces(record: SourceRecord): Piece[] | Rejection {
  const aggregate = record.aggregate;
  if (aggregate === null || aggregate === undefined) {
    return new Rejection('MISSING_FIELD', 'aggregate: missing on an aggregate record');
  }
  const to = aggregate.to === null ? null : parseDateKey(aggregate.to);
  if (aggregate.to !== null && to === null) return impossible('aggregate.to: not a valid date');
  const from = aggregate.from === null ? null : parseDateKey(aggregate.from);
  if (aggregate.from !== null && from === null) return impossible('aggregate.from: not a valid date');
  if (from !== null && to !== null && to < from) return impossible('aggregate.to: before aggregate.from');
  const recordDate = record.date === null ? null : parseDateKey(record.date);
  if (record.date !== null && recordDate === null) return impossible('date: not a valid date');
  const day = to ?? recordDate;
  if (day === null) return new Rejection('MISSING_FIELD', 'aggregate.to: no date for the totals');
  const totals: ['authorised' | 'unauthorised', number][] = [];
  for (const key of ['authorised', 'unauthorised'] as const) {
    const total: unknown = aggregate[key];
    if (total === null || total === undefined) continue;
    if (typeof total !== 'number' || !Number.isFinite(total) || total < 0) {
      return new Rejection('WRONG_TYPE', `aggregate.${key}: not a number of zero or more`);
    }
    totals.push([key, total]);
  }
  if (totals.length === 0) return new Rejection('MISSING_FIELD', 'aggregate: neither total is given');
  return totals.map(([key, total]) => ({
    recordId: stableId('rec', record.sourceSystem, record.sourceRecordType, record.sourceId, key),
    record,
    day,
    startMs: null,
    endMs: null,
    wholeDay: false,
    lessonHourFrom: null,
    lessonHourTo: null,
    category: key === 'authorised' ? 'OTHER' : 'UNAUTHORISED',
    legalClass: key,
    mapping: { source: 'fallback' },
    missedMinutes: aggregate.unit === 'HOUR' ? total * 60 : aggregate.unit === 'MINUTE' ? total : null,
    missedLessons: aggregate.unit === 'LESSON' || aggregate.unit === 'DAY_PART' ? total : null,
    explainedBy: null,
  }));
}

// ---------------------------------------------------------------------------------------------------------
// Teacher checks explained by reports

const EXPLAINS: ReadonlySet<string> = new Set(['REPORT', 'CALL_BACK']);

/**
 * A teacher's "absent" (UNEXPLAINED) that a report of the same pupil explains gets `explainedBy`: the report
 * the source links it to (`explainedByRef`), else the report that overlaps its lesson most (ties: the smaller
 * recordId; a whole-day report without times covers every check of its day). The check keeps its category
 * and minutes: consumers skip records with `explainedBy` when summing absence, so the time counts once.
 */
function linkTeacherChecks(pieces: readonly Piece[]): void {
  const checks = pieces.filter((c) => c.record.via === 'TEACHER_CHECK' && c.category === 'UNEXPLAINED');
  if (checks.length === 0) return;
  // Index only the reports of pupils that have such a check: by pupil and day, and by the source's own id.
  const pupils = new Set(checks.map((c) => c.record.pupil.localId));
  const refs = new Set<string>();
  for (const c of checks) if (c.record.explainedByRef) refs.add(c.record.explainedByRef);
  const byPupilDay = new Map<string, Map<number, Piece[]>>();
  const bySource = new Map<string, Piece[]>();
  for (const piece of pieces) {
    const r = piece.record;
    if (!EXPLAINS.has(r.via) || piece.category === 'PRESENT' || piece.category === 'UNEXPLAINED') continue;
    if (refs.has(r.sourceId)) push(bySource, `${r.sourceSystem}\u0000${r.sourceId}`, piece);
    if (!pupils.has(r.pupil.localId)) continue;
    let days = byPupilDay.get(r.pupil.localId);
    if (days === undefined) {
      days = new Map();
      byPupilDay.set(r.pupil.localId, days);
    }
    push(days, piece.day, piece);
  }
  for (const check of checks) {
    const ref = check.record.explainedByRef;
    const linked = ref ? bySource.get(`${check.record.sourceSystem}\u0000${ref}`) : undefined;
    if (linked !== undefined) {
      // The source says which report; of its pieces, the one that best covers the check.
      check.explainedBy = best(check, linked, true);
      continue;
    }
    const candidates = byPupilDay.get(check.record.pupil.localId)?.get(check.day);
    if (candidates !== undefined) check.explainedBy = best(check, candidates, false);
  }
}

function push<K>(map: Map<K, Piece[]>, key: K, piece: Piece): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [piece]);
  else list.push(piece);
}

/** How well a report covers a check: overlap in ms (a timeless whole-day report on its day covers it fully). */
function cover(check: Piece, report: Piece): number {
  if (report.startMs === null || report.endMs === null) {
    if (report.day !== check.day || !report.wholeDay) return 0;
    return check.startMs !== null && check.endMs !== null ? Math.max(1, check.endMs - check.startMs) : 1;
  }
  if (check.startMs === null || check.endMs === null) return 0;
  if (check.endMs === check.startMs) return check.startMs >= report.startMs && check.startMs < report.endMs ? 1 : 0;
  return Math.max(0, Math.min(check.endMs, report.endMs) - Math.max(check.startMs, report.startMs));
}

/**
 * The report piece that best explains a check: most overlap, then the same day, then the smaller recordId (so
 * the choice does not depend on input order). Unlinked reports must overlap; a report the source links to is
 * taken even when its times do not meet the check's.
 */
function best(check: Piece, reports: readonly Piece[], linkedBySource: boolean): string | null {
  let chosen: Piece | null = null;
  let chosenScore = -1;
  for (const report of reports) {
    const overlap = cover(check, report);
    if (overlap === 0 && !linkedBySource) continue;
    const score = overlap * 2 + (report.day === check.day ? 1 : 0);
    if (score > chosenScore || (score === chosenScore && chosen !== null && report.recordId < chosen.recordId)) {
      chosen = report;
      chosenScore = score;
    }
  }
  return chosen?.recordId ?? null;
}

// ---------------------------------------------------------------------------------------------------------

const FALLBACK_MAPPING: MappingSource = Object.freeze({ source: 'fallback' });
const schoolMappings = new Map<string, MappingSource>();

/** Mapping objects are shared between records (frozen): one per version instead of one per record. */
function mappingOf(mapping: MappingSource): MappingSource {
  if (mapping.source === 'fallback') return FALLBACK_MAPPING;
  const version = mapping.version ?? '';
  let shared = schoolMappings.get(version);
  if (shared === undefined) {
    shared = Object.freeze({ source: 'school', version });
    schoolMappings.set(version, shared);
  }
  return shared;
}

function toCanonical(piece: Piece): CanonicalRecord {
  const r = piece.record;
  const leerlingnummer = r.pupil.leerlingnummer;
  const school = r.school;
  let schoolOut: { brin?: string; vestiging?: string } | null = null;
  if (school !== null && school !== undefined) {
    schoolOut = {};
    if (school.brin !== undefined) schoolOut.brin = school.brin;
    if (school.vestiging !== undefined) schoolOut.vestiging = school.vestiging;
  }
  return {
    recordId: piece.recordId,
    sourceSystem: r.sourceSystem,
    sourceRecordType: r.sourceRecordType,
    sourceId: r.sourceId,
    pupil:
      leerlingnummer === undefined ? { localId: r.pupil.localId } : { localId: r.pupil.localId, leerlingnummer },
    school: schoolOut,
    date: dateKeyOfDay(piece.day),
    start: piece.startMs === null ? null : formatLocal(piece.startMs),
    end: piece.endMs === null ? null : formatLocal(piece.endMs),
    wholeDay: piece.wholeDay,
    lessonHourFrom: piece.lessonHourFrom,
    lessonHourTo: piece.lessonHourTo,
    category: piece.category,
    legalClass: piece.legalClass,
    registeredVia: r.via,
    missedMinutes: piece.missedMinutes,
    missedLessons: piece.missedLessons,
    reasonCode: normaliseReasonCode(r.reasonCode),
    explainedBy: piece.explainedBy,
    mapping: mappingOf(piece.mapping),
  };
}
