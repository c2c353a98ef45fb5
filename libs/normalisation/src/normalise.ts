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

/** A canonical record while the batch is built: its `explainedBy` is set once every report is known. */
type Draft = { -readonly [K in keyof CanonicalRecord]: CanonicalRecord[K] };

/**
 * The records of a batch as they are built, and beside each — in parallel arrays rather than an object per
 * record, because a batch can hold hundreds of thousands — what linking and de-duplication need: the source
 * item, the school-local day and the times as instants.
 */
class Drafts {
  readonly records: Draft[] = [];
  readonly sources: SourceRecord[] = [];
  readonly days: number[] = [];
  /** Instants as plain doubles, NaN for none: an array of numbers only holds them unboxed (no object each). */
  private readonly startValues: number[] = [];
  private readonly endValues: number[] = [];

  add(source: SourceRecord, day: number, startMs: number | null, endMs: number | null, record: Draft): void {
    this.records.push(record);
    this.sources.push(source);
    this.days.push(day);
    this.startValues.push(startMs === null ? Number.NaN : startMs);
    this.endValues.push(endMs === null ? Number.NaN : endMs);
  }

  start(i: number): number | null {
    const ms = this.startValues[i];
    return ms === ms ? ms : null;
  }

  end(i: number): number | null {
    const ms = this.endValues[i];
    return ms === ms ? ms : null;
  }

  get size(): number {
    return this.records.length;
  }
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
export function normalise(
  records: readonly SourceRecord[],
  context: NormaliseContext,
  /** Normalising a payload batch by batch: the state that links teacher checks across batches. */
  carry?: NormaliseCarry,
): NormaliseOutput {
  const timetable = new Timetable(context.lessons, context.bellSchedule);
  const quarantined: QuarantinedInput[] = [...timetable.quarantined];
  const drafts = new Drafts();

  for (const record of records) {
    let rejected: Rejection | null;
    if (record.via === 'AGGREGATE') {
      rejected = addAggregate(record, drafts);
    } else {
      const categorised = categorise(record, context.mapping);
      if (categorised.outcome === 'drop') continue;
      rejected =
        categorised.outcome === 'quarantine'
          ? new Rejection(categorised.reason, categorised.detail)
          : place(record, categorised, timetable, drafts);
    }
    if (rejected !== null) quarantined.push(quarantine(record, rejected.reason, rejected.detail));
  }

  if (carry === undefined) {
    // The common case, every recordId once: sorted by number, without the map de-duplication needs.
    const sorted = sortedUniqueIds(drafts.records);
    if (sorted !== null) {
      linkTeacherChecks(drafts, allIndices(drafts.size));
      const out = new Array<CanonicalRecord>(sorted.length);
      for (let i = 0; i < sorted.length; i++) out[i] = drafts.records[sorted[i]];
      quarantined.sort(compareQuarantined);
      return { records: out, quarantined };
    }
  }
  const kept = deduplicate(drafts, quarantined);
  if (carry === undefined) linkTeacherChecks(drafts, kept);
  else carry.hold(drafts, kept);
  return output(drafts, kept, quarantined);
}

function allIndices(n: number): number[] {
  const indices = new Array<number>(n);
  for (let i = 0; i < n; i++) indices[i] = i;
  return indices;
}

/** The value of each hex digit by its char code (lower case only, as `stableId` writes them); -1 otherwise. */
const HEX = new Int8Array(128).fill(-1);
for (let d = 0; d < 16; d++) HEX['0123456789abcdef'.charCodeAt(d)] = d;
/** Indices are kept in the low bits of a sort key: 2^21 of them, beside 32 bits of the id (53 bits in all). */
const INDEX_SPAN = 2 ** 21;
const ID_PREFIX = 'rec_';

/**
 * The indices of `records` in recordId order (the engine's string order), when every id is a `rec_` id of hex
 * digits and none comes twice; null otherwise (the caller then de-duplicates the general way). The first eight
 * hex digits of each id, as a number, sort the records natively in a Float64Array; ids that share them (rare)
 * are put in order by their whole text.
 */
function sortedUniqueIds(records: readonly Draft[]): Float64Array | null {
  const n = records.length;
  if (n >= INDEX_SPAN) return null;
  const keys = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const id = records[i].recordId;
    if (id.length < 12 || !id.startsWith(ID_PREFIX)) return null;
    let key = 0;
    for (let j = 4; j < 12; j++) {
      const code = id.charCodeAt(j);
      const digit = code < 128 ? HEX[code] : -1;
      if (digit < 0) return null;
      key = key * 16 + digit;
    }
    keys[i] = key * INDEX_SPAN + i;
  }
  keys.sort();
  let previousKey = -1;
  let runStart = 0;
  for (let i = 0; i < n; i++) {
    const key = keys[i];
    const index = key % INDEX_SPAN;
    const idKey = (key - index) / INDEX_SPAN;
    keys[i] = index;
    if (idKey !== previousKey) {
      if (i - runStart > 1 && !orderRun(records, keys, runStart, i)) return null;
      previousKey = idKey;
      runStart = i;
    }
  }
  if (n - runStart > 1 && !orderRun(records, keys, runStart, n)) return null;
  return keys;
}

/** Puts indices `from`…`to` (their ids share the first digits) in id order; false when two ids are equal. */
function orderRun(records: readonly Draft[], indices: Float64Array, from: number, to: number): boolean {
  const run = Array.from(indices.subarray(from, to)).sort((a, b) => {
    const x = records[a].recordId;
    const y = records[b].recordId;
    return x < y ? -1 : x > y ? 1 : 0;
  });
  for (let i = 0; i < run.length; i++) {
    if (i > 0 && records[run[i]].recordId === records[run[i - 1]].recordId) return false;
    indices[from + i] = run[i];
  }
  return true;
}

function output(
  drafts: Drafts,
  kept: ReadonlyMap<string, number>,
  quarantined: QuarantinedInput[],
): NormaliseOutput {
  // Sorting the ids with the engine's own string order is much faster than a comparator over records.
  const ids = [...kept.keys()].sort();
  const out = new Array<CanonicalRecord>(ids.length);
  for (let i = 0; i < ids.length; i++) out[i] = drafts.records[kept.get(ids[i])!];
  quarantined.sort(compareQuarantined);
  return { records: out, quarantined };
}

/**
 * What normalising a payload batch by batch (a streamed payload) carries from one batch to the next, so that
 * a teacher check is explained by a report whichever batch either comes in. Teacher checks that are
 * UNEXPLAINED are held back until `finishBatches`, which links them against the reports of every batch with
 * the same rules as a whole payload; the reports themselves go out with their batch, and only what linking
 * needs of them (pupil, day, times, id) is kept. Held: the checks, plus a few numbers per report.
 *
 * Exactly as a whole payload, except for the de-duplication of records other than held checks: an item that
 * comes in two batches gives its record twice (the same recordId and content, so a store keyed by recordId
 * keeps one), and two different items with the same id in different batches are not detected.
 */
export class NormaliseCarry {
  private readonly reports = new Drafts();
  private readonly checks = new Drafts();

  /** @internal Takes the batch's UNEXPLAINED teacher checks out of `kept` and remembers what its reports cover. */
  hold(drafts: Drafts, kept: Map<string, number>): void {
    for (const [id, i] of kept) {
      const source = drafts.sources[i];
      const record = drafts.records[i];
      const { days } = drafts;
      if (source.via === 'TEACHER_CHECK' && record.category === 'UNEXPLAINED') {
        this.checks.add(source, days[i], drafts.start(i), drafts.end(i), record);
        kept.delete(id);
      } else if (
        (source.via === 'REPORT' || source.via === 'CALL_BACK') &&
        record.category !== 'PRESENT' &&
        record.category !== 'UNEXPLAINED'
      ) {
        // Only the fields linkTeacherChecks reads, so that a held report costs a few fields, not a record.
        const slim = {
          via: source.via,
          sourceSystem: source.sourceSystem,
          sourceId: source.sourceId,
          pupil: { localId: source.pupil.localId },
        } as SourceRecord;
        const slimRecord = {
          recordId: record.recordId,
          category: record.category,
          wholeDay: record.wholeDay,
        } as Draft;
        this.reports.add(slim, days[i], drafts.start(i), drafts.end(i), slimRecord);
      }
    }
  }

  /** The held teacher checks, linked to the reports of every batch; sorted like `normalise`'s output. */
  finish(): NormaliseOutput {
    const quarantined: QuarantinedInput[] = [];
    const keptChecks = deduplicate(this.checks, quarantined);
    const all = new Drafts();
    const kept = new Map<string, number>();
    const { reports, checks } = this;
    for (let i = 0; i < reports.size; i++) {
      kept.set(`r${i}`, all.size);
      all.add(reports.sources[i], reports.days[i], reports.start(i), reports.end(i), reports.records[i]);
    }
    const out = new Map<string, number>();
    for (const [id, i] of keptChecks) {
      kept.set(`c${i}`, all.size);
      out.set(id, i);
      all.add(checks.sources[i], checks.days[i], checks.start(i), checks.end(i), checks.records[i]);
    }
    linkTeacherChecks(all, kept);
    return output(checks, out, quarantined);
  }
}

/** Ends normalising in batches: the teacher checks held back, now linked (see `NormaliseCarry`). */
export function finishBatches(carry: NormaliseCarry): NormaliseOutput {
  return carry.finish();
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
 * One record per recordId (the index of its draft). An item given twice (overlapping pulls) counts once. Two
 * different items that give the same recordId (same system, type and id) cannot both be right: the first in a
 * stable order (by content) is kept, the others are quarantined with all their records, so the outcome does not
 * depend on input order.
 */
function deduplicate(drafts: Drafts, quarantined: QuarantinedInput[]): Map<string, number> {
  const byId = new Map<string, number>();
  const { records, sources } = drafts;
  let losers: Set<SourceRecord> | null = null;
  for (let i = 0; i < drafts.size; i++) {
    const id = records[i].recordId;
    const other = byId.get(id);
    if (other === undefined) {
      byId.set(id, i);
      continue;
    }
    if (sources[other] === sources[i]) continue;
    const a = JSON.stringify(sources[other]);
    const b = JSON.stringify(sources[i]);
    if (a === b) continue;
    losers ??= new Set();
    if (b < a) {
      losers.add(sources[other]);
      byId.set(id, i);
    } else {
      losers.add(sources[i]);
    }
  }
  if (losers === null) return byId;
  // Losers are known by content, so that a copy of a losing item does not come back in its place.
  const losing = new Set<string>();
  for (const record of losers) {
    const key = JSON.stringify(record);
    if (losing.has(key)) continue;
    losing.add(key);
    quarantined.push(
      quarantine(record, 'MALFORMED_PAYLOAD', 'sourceId: another item has the same id and different content'),
    );
  }
  const kept = new Map<string, number>();
  for (const [id, i] of byId) if (!losing.has(JSON.stringify(sources[i]))) kept.set(id, i);
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

/** Everything the piece builders share for one record: the record, its category, its times, the timetable. */
class Placement implements Times {
  private baseId: string | null = null;
  record!: SourceRecord;
  categorised!: Categorised;
  timetable!: Timetable;
  drafts!: Drafts;
  startMs: number | null = null;
  endMs: number | null = null;
  arrivedMs: number | null = null;
  firstDay: number | null = null;
  endDay: number | null = null;
  hourFrom: number | null = null;
  hourTo: number | null = null;

  /**
   * One placement serves every record in turn (normalising is synchronous and a placement never outlives its
   * record's `place`): no object per record.
   */
  static readonly shared = new Placement();

  reset(
    record: SourceRecord,
    categorised: Categorised,
    timetable: Timetable,
    drafts: Drafts,
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
    this.timetable = timetable;
    this.drafts = drafts;
    this.startMs = startMs;
    this.endMs = endMs;
    this.arrivedMs = arrivedMs;
    this.firstDay = firstDay;
    this.endDay = endDay;
    this.hourFrom = hourFrom;
    this.hourTo = hourTo;
    return this;
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
      draftOf(
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
        adjusted ? FALLBACK_MAPPING : mappingOf(c.mapping),
        missedMinutes,
        missedLessons,
      ),
    );
  }
}

const isAbsence = (legalClass: LegalClass): boolean =>
  legalClass === 'authorised' || legalClass === 'unauthorised' || legalClass === 'pending';

const isLate = (category: Category): boolean =>
  category === 'LATE_AUTHORISED' || category === 'LATE_UNAUTHORISED';

/** Whole minutes, rounded; never negative. */
const toMinutes = (ms: number): number => Math.max(0, Math.round(ms / MINUTE_MS));

/** Adds the record's canonical records to the batch (several when a day or span is expanded), or rejects it. */
function place(
  record: SourceRecord,
  categorised: Categorised,
  timetable: Timetable,
  drafts: Drafts,
): Rejection | null {
  const p = readTimes(record, categorised, timetable, drafts);
  if (p instanceof Rejection) return p;
  const linked = linkedLesson(record, timetable);
  if (linked instanceof Rejection) return linked;
  if (isLate(categorised.category)) return placeLate(p, linked);

  const { startMs, endMs, firstDay, hourFrom, hourTo } = p;
  // Magister: no lesson and no lesson hour means the whole day; so does a record that names only a date. A po
  // day part (csv `dagdeel-ochtend`/`dagdeel-middag`) names half a day: never widened to the whole day.
  const dayPart = record.sourceRecordType.startsWith('dagdeel-');
  const wholeDay =
    record.wholeDay ||
    (!dayPart && startMs === null && endMs === null && linked === null && hourFrom === null);

  if (wholeDay) {
    if (firstDay === null) return new Rejection('MISSING_FIELD', 'date: a whole-day record without a date');
    expand(p, firstDay, Math.max(firstDay, p.endDay ?? firstDay), null);
    return null;
  }

  if (startMs !== null && endMs !== null) {
    const startDay = localDayOf(startMs);
    const endDay = Math.max(startDay, p.endDay ?? startDay);
    if (endDay > startDay) {
      expand(p, startDay, endDay, { startMs, endMs });
      return null;
    }
    return single(p, startMs, endMs, linked === null ? null : only(linked));
  }

  if (linked !== null) {
    const s = startMs ?? linked.startMs;
    const e = endMs ?? linked.endMs;
    if (e < s) return impossible('start: after the end of its lesson');
    return single(p, s, e, only(linked));
  }

  const day = firstDay ?? (startMs === null ? null : localDayOf(startMs));
  if (day === null) return new Rejection('MISSING_FIELD', 'date: neither a date nor a time');
  if (hourFrom !== null && hourTo !== null) {
    const lessons = timetable.lessonsForHours(record.pupil.localId, day, hourFrom, hourTo);
    if (lessons !== null) {
      const s = startMs ?? Math.min(...lessons.map((l) => l.startMs));
      const e = Math.max(...lessons.map((l) => l.endMs));
      if (e < s) return impossible('start: after the end of its lesson hours');
      return single(p, s, e, lessons);
    }
  }
  // Open-ended (a start without an end), or lesson hours without a bell schedule: the times that are known and
  // no minutes (never guessed).
  p.add({
    recordId: p.id,
    day,
    startMs,
    endMs: null,
    wholeDay: false,
    lessonHourFrom: hourFrom,
    lessonHourTo: hourTo,
    missedMs: null,
    missedLessons: hourFrom !== null && hourTo !== null ? hourTo - hourFrom + 1 : null,
  });
  return null;
}

/** One reused one-element list: `single` only iterates its lessons, never keeps them (no array per record). */
const ONE: ScheduledLesson[] = [];
function only(lesson: ScheduledLesson): readonly ScheduledLesson[] {
  ONE[0] = lesson;
  return ONE;
}

/** Reads and checks the record's times, undoing the source's traps. */
function readTimes(
  record: SourceRecord,
  categorised: Categorised,
  timetable: Timetable,
  drafts: Drafts,
): Placement | Rejection {
  const { lessonHourFrom, lessonHourTo } = record;
  if (lessonHourFrom !== null && lessonHourFrom !== undefined && !isLessonHour(lessonHourFrom)) {
    return impossible('lessonHourFrom: outside 0–20 or not an integer');
  }
  if (lessonHourTo !== null && lessonHourTo !== undefined && !isLessonHour(lessonHourTo)) {
    return impossible('lessonHourTo: outside 0–20 or not an integer');
  }
  const hourFrom = lessonHourFrom ?? lessonHourTo ?? null;
  const hourTo = lessonHourTo ?? hourFrom;
  if (hourFrom !== null && hourTo !== null && hourTo < hourFrom) {
    return impossible('lessonHourTo: before lessonHourFrom');
  }

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
    // Only with an end that is no real time of its own: a midnight start with a 10:00 end is a real midnight.
    const dateOnly =
      isDateMarker(start, dateDay) &&
      (end === null || end.ms === start.ms || end.form === 'date' || isDateMarker(end, null));
    if (dateOnly) markedFirst = markerDay(start, dateDay);
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
  const arrivedMs = arrived === null ? null : arrived.ms;
  return Placement.shared.reset(
    record,
    categorised,
    timetable,
    drafts,
    startMs,
    endMs,
    arrivedMs,
    firstDay,
    endDay,
    hourFrom,
    hourTo,
  );
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
 * own date. Naive local midnights and times with a non-zero offset are real times (EduArte's whole days), and
 * so is such a start whose end is a real time.
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
 * One record within one day, from `s` to `e`. It is measured against its lessons: the linked one; else, when it
 * names lesson hours, the lessons with those hours (timetable, else bell schedule); else the pupil's timetable
 * or bell schedule for the day. The missed time is the overlap with the lessons that were not cancelled, each
 * clipped to its scheduled duration: breaks are not missed time, a report longer than its lesson is clipped to
 * the lesson, and a report outside every lesson of a known day missed nothing. Without any lessons, the
 * record's own span is its lesson.
 */
function single(
  p: Placement,
  s: number,
  e: number,
  given: readonly ScheduledLesson[] | null,
): Rejection | null {
  if (e - s > MAX_LESSON_MS) return impossible('end: more than 12 hours after start for one lesson');
  const day = localDayOf(s);
  const { hourFrom, hourTo } = p;
  const pupil = p.record.pupil.localId;
  let lessons = given;
  if (lessons === null && hourFrom !== null && hourTo !== null) {
    lessons = p.timetable.lessonsForHours(pupil, day, hourFrom, hourTo);
  }
  if (lessons === null) {
    const plan = p.timetable.plan(pupil, day, true);
    lessons = plan.kind === 'lessons' ? plan.lessons : plan.kind === 'free' ? [] : null;
  }
  if (lessons === null) {
    p.addRecord(
      p.id,
      day,
      s,
      e,
      false,
      hourFrom,
      hourTo,
      e - s,
      hourFrom !== null && hourTo !== null ? hourTo - hourFrom + 1 : null,
      false,
    );
    return null;
  }
  let touched = 0;
  let held = 0;
  let from = e;
  let to = s;
  let heldMissed = 0;
  let cancelledMissed = 0;
  let minHour: number | null = null;
  let maxHour: number | null = null;
  let hoursKnown = true;
  for (const l of lessons) {
    const overlap = Math.min(e, l.endMs) - Math.max(s, l.startMs);
    if (overlap <= 0) continue;
    touched++;
    if (l.startMs < from) from = l.startMs;
    if (l.endMs > to) to = l.endMs;
    const counted = Math.min(overlap, l.durationMs);
    if (l.cancelled) cancelledMissed += counted;
    else {
      held++;
      heldMissed += counted;
    }
    if (l.lessonHour === null) hoursKnown = false;
    else {
      if (minHour === null || l.lessonHour < minHour) minHour = l.lessonHour;
      if (maxHour === null || l.lessonHour > maxHour) maxHour = l.lessonHour;
    }
  }
  // Only cancelled lessons: a timetable adjustment, measured like the absence would have been.
  const allCancelled = touched > 0 && held === 0;
  if (touched > 0) {
    from = Math.max(s, from);
    to = Math.min(e, to);
  } else {
    from = s;
    to = e;
  }
  // Lessons that overlap each other in the timetable must not count the same minutes twice.
  const missed = Math.min(allCancelled ? cancelledMissed : heldMissed, to - from);
  p.addRecord(
    p.id,
    day,
    from,
    to,
    false,
    hourFrom ?? (hoursKnown ? minHour : null),
    hourTo ?? (hoursKnown ? maxHour : null),
    missed,
    allCancelled ? touched : held,
    allCancelled,
  );
  return null;
}

/**
 * Whole days (clip null) or a timed span crossing midnight (clipped to its start and end): one record per
 * scheduled lesson on each day when the pupil's timetable or the bell schedule knows the day; otherwise one
 * record per day (whole days without times; the part of a timed span with its times, minutes unknown). Days the
 * timetable shows free give no record, nor do weekend days of a span of whole days that no timetable knows
 * (school weeks run Monday to Friday). A record none of whose days gives one still yields a single record, so
 * nothing is lost: missed nothing when every day was known, unknown otherwise.
 */
function expand(
  p: Placement,
  firstDay: number,
  lastDay: number,
  clip: { startMs: number; endMs: number } | null,
): void {
  const before = p.drafts.size;
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
        p.add({
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
        });
      }
      continue;
    }
    if (plan.kind === 'free') continue;
    const weekday = weekdayOfDay(day);
    if (clip === null && multiDay && (weekday === 0 || weekday === 6)) {
      unknownSkipped = true;
      continue;
    }
    p.add({
      recordId: multiDay ? p.expandedId(day) : p.id,
      day,
      startMs: full ? null : ws,
      endMs: full ? null : we,
      wholeDay: full,
      lessonHourFrom: full ? null : p.hourFrom,
      lessonHourTo: full ? null : p.hourTo,
      missedMs: null,
      missedLessons: null,
    });
  }
  if (p.drafts.size > before) return;
  p.add({
    recordId: p.id,
    day: firstDay,
    startMs: clip === null ? null : clip.startMs,
    endMs: clip === null ? null : clip.endMs,
    wholeDay: clip === null,
    lessonHourFrom: null,
    lessonHourTo: null,
    missedMs: unknownSkipped ? null : 0,
    missedLessons: unknownSkipped ? null : 0,
  });
}

/**
 * A late arrival: the lesson starts at the record's own start, else the linked lesson's, else its lesson hour's
 * (timetable or bell schedule); the pupil arrives at `arrivedAt`, else at the record's end. Missed: from lesson
 * start to arrival, never negative, never longer than the lesson. A late arrival misses no whole lesson, so
 * `missedLessons` is 0; lateness counts in minutes and occurrences.
 */
function placeLate(p: Placement, linked: ScheduledLesson | null): Rejection | null {
  const { record, timetable } = p;
  const pupil = record.pupil.localId;
  const hourLesson =
    p.hourFrom !== null && p.firstDay !== null
      ? (timetable.lessonsForHours(pupil, p.firstDay, p.hourFrom, p.hourFrom)?.[0] ?? null)
      : null;
  const lessonStart = p.startMs ?? linked?.startMs ?? hourLesson?.startMs ?? null;
  // The lesson that caps the lateness is the one the lesson start falls in; a linked lesson elsewhere (the
  // source contradicting itself) says nothing about it.
  const contains = (l: ScheduledLesson | null): l is ScheduledLesson =>
    l !== null && lessonStart !== null && l.startMs <= lessonStart && lessonStart < l.endMs;
  let lesson = contains(linked) ? linked : contains(hourLesson) ? hourLesson : null;
  if (lesson === null && lessonStart !== null) {
    const plan = timetable.plan(pupil, localDayOf(lessonStart), true);
    if (plan.kind === 'lessons') lesson = plan.lessons.find(contains) ?? null;
  }
  const arrival = p.arrivedMs ?? p.endMs;
  const day =
    lessonStart !== null
      ? localDayOf(lessonStart)
      : (p.firstDay ?? (arrival === null ? null : localDayOf(arrival)));
  if (day === null) return new Rejection('MISSING_FIELD', 'date: neither a date nor a time');
  let endMs: number | null = null;
  let missed: number | null = null;
  if (lessonStart !== null && arrival !== null) {
    if (arrival - lessonStart > MAX_LESSON_MS) {
      return impossible('arrivedAt: more than 12 hours after the lesson starts');
    }
    const cap =
      lesson === null ? Number.POSITIVE_INFINITY : Math.min(lesson.endMs - lessonStart, lesson.durationMs);
    missed = Math.max(0, Math.min(arrival - lessonStart, cap));
    endMs = lessonStart + missed;
  }
  p.addRecord(
    p.id,
    day,
    lessonStart,
    endMs,
    false,
    p.hourFrom ?? lesson?.lessonHour ?? null,
    p.hourTo ?? lesson?.lessonHour ?? null,
    missed,
    0,
    false,
  );
  return null;
}

// ---------------------------------------------------------------------------------------------------------
// Aggregates (OSO dossier, overview totals)

/**
 * One record per total that is given: unauthorised → UNAUTHORISED, authorised → OTHER (authorised). No times,
 * not a whole day. HOUR and MINUTE totals become missedMinutes; LESSON totals missedLessons; DAY_PART totals
 * (po counts dagdelen as vo counts lessons) also go in missedLessons, with null minutes: a day part has no fixed
 * length. The date is the last day the totals cover.
 */
function addAggregate(record: SourceRecord, drafts: Drafts): Rejection | null {
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
  for (const [key, total] of totals) {
    drafts.add(
      record,
      day,
      null,
      null,
      draft(
        record,
        {
          recordId: stableId('rec', record.sourceSystem, record.sourceRecordType, record.sourceId, key),
          day,
          startMs: null,
          endMs: null,
          wholeDay: false,
          lessonHourFrom: null,
          lessonHourTo: null,
        },
        key === 'authorised' ? 'OTHER' : 'UNAUTHORISED',
        key,
        FALLBACK_MAPPING,
        aggregate.unit === 'HOUR' ? total * 60 : aggregate.unit === 'MINUTE' ? total : null,
        aggregate.unit === 'LESSON' || aggregate.unit === 'DAY_PART' ? total : null,
      ),
    );
  }
  return null;
}

// ---------------------------------------------------------------------------------------------------------
// Teacher checks explained by reports

/**
 * A teacher's "absent" (UNEXPLAINED) that a report (or call-back) of the same pupil explains gets `explainedBy`: the report
 * the source links it to (`explainedByRef`), else the report that overlaps its lesson most (ties: the smaller
 * recordId; a whole-day report without times covers every check of its day). The check keeps its category
 * and minutes: consumers skip records with `explainedBy` when summing absence, so the time counts once.
 */
function linkTeacherChecks(drafts: Drafts, kept: { values(): Iterable<number> }): void {
  const { records, sources } = drafts;
  const checks: number[] = [];
  for (const i of kept.values()) {
    if (sources[i].via === 'TEACHER_CHECK' && records[i].category === 'UNEXPLAINED') checks.push(i);
  }
  if (checks.length === 0) return;
  // Index only the reports of pupils that have such a check: by pupil and day, and by the source's own id.
  const pupils = new Set<string>();
  const refs = new Set<string>();
  for (const c of checks) {
    pupils.add(sources[c].pupil.localId);
    const ref = sources[c].explainedByRef;
    if (ref !== null && ref !== undefined) refs.add(ref);
  }
  const byPupilDay = new Map<string, Map<number, number[]>>();
  const bySource = new Map<string, number[]>();
  for (const i of kept.values()) {
    const r = sources[i];
    const category = records[i].category;
    if (
      (r.via !== 'REPORT' && r.via !== 'CALL_BACK') ||
      category === 'PRESENT' ||
      category === 'UNEXPLAINED'
    ) {
      continue;
    }
    if (refs.has(r.sourceId)) push(bySource, `${r.sourceSystem}\u0000${r.sourceId}`, i);
    if (!pupils.has(r.pupil.localId)) continue;
    let days = byPupilDay.get(r.pupil.localId);
    if (days === undefined) {
      days = new Map();
      byPupilDay.set(r.pupil.localId, days);
    }
    push(days, drafts.days[i], i);
  }
  for (const c of checks) {
    const check = sources[c];
    const ref = check.explainedByRef;
    const linked =
      ref === null || ref === undefined ? undefined : bySource.get(`${check.sourceSystem}\u0000${ref}`);
    if (linked !== undefined) {
      // The source says which report; of its records, the one that best covers the check.
      records[c].explainedBy = best(drafts, c, linked, true);
      continue;
    }
    const candidates = byPupilDay.get(check.pupil.localId)?.get(drafts.days[c]);
    if (candidates !== undefined) records[c].explainedBy = best(drafts, c, candidates, false);
  }
}

function push<K>(map: Map<K, number[]>, key: K, index: number): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [index]);
  else list.push(index);
}

/** How well a report covers a check: overlap in ms (a timeless whole-day report on its day covers it fully). */
function cover(drafts: Drafts, check: number, report: number): number {
  const { days } = drafts;
  const cs = drafts.start(check);
  const ce = drafts.end(check);
  const rs = drafts.start(report);
  const re = drafts.end(report);
  if (rs === null || re === null) {
    if (days[report] !== days[check] || !drafts.records[report].wholeDay) return 0;
    return cs !== null && ce !== null ? Math.max(1, ce - cs) : 1;
  }
  if (cs === null || ce === null) return 0;
  if (ce === cs) return cs >= rs && cs < re ? 1 : 0;
  return Math.max(0, Math.min(ce, re) - Math.max(cs, rs));
}

/**
 * The report record that best explains a check: most overlap, then the same day, then the smaller recordId (so
 * the choice does not depend on input order). Unlinked reports must overlap; a report the source links to is
 * taken even when its times do not meet the check's.
 */
function best(
  drafts: Drafts,
  check: number,
  reports: readonly number[],
  linkedBySource: boolean,
): string | null {
  let chosen: string | null = null;
  let chosenScore = -1;
  for (const report of reports) {
    const overlap = cover(drafts, check, report);
    if (overlap === 0 && !linkedBySource) continue;
    const score = overlap * 2 + (drafts.days[report] === drafts.days[check] ? 1 : 0);
    const id = drafts.records[report].recordId;
    if (score > chosenScore || (score === chosenScore && chosen !== null && id < chosen)) {
      chosen = id;
      chosenScore = score;
    }
  }
  return chosen;
}

// ---------------------------------------------------------------------------------------------------------
// The canonical record

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

let lastPupil: { readonly localId: string } = { localId: '' };

/**
 * The output pupil of consecutive records of the same pupil is one shared object (a payload mostly holds runs of
 * one pupil's records): fewer objects that outlive the batch. Output records are never mutated.
 */
function pupilOf(localId: string): { readonly localId: string } {
  if (lastPupil.localId !== localId) lastPupil = { localId };
  return lastPupil;
}

/** A canonical record (contracts §2, fields in contract order) of a source item; `explainedBy` comes later. */
function draft(
  r: SourceRecord,
  f: {
    readonly recordId: string;
    readonly day: number;
    readonly startMs: number | null;
    readonly endMs: number | null;
    readonly wholeDay: boolean;
    readonly lessonHourFrom: number | null;
    readonly lessonHourTo: number | null;
  },
  category: Category,
  legalClass: LegalClass,
  mapping: MappingSource,
  missedMinutes: number | null,
  missedLessons: number | null,
): Draft {
  return draftOf(
    r,
    f.recordId,
    f.day,
    f.startMs,
    f.endMs,
    f.wholeDay,
    f.lessonHourFrom,
    f.lessonHourTo,
    category,
    legalClass,
    mapping,
    missedMinutes,
    missedLessons,
  );
}

/** `draft` with the record's fields as arguments (no fields object per record). */
function draftOf(
  r: SourceRecord,
  recordId: string,
  day: number,
  startMs: number | null,
  endMs: number | null,
  wholeDay: boolean,
  lessonHourFrom: number | null,
  lessonHourTo: number | null,
  category: Category,
  legalClass: LegalClass,
  mapping: MappingSource,
  missedMinutes: number | null,
  missedLessons: number | null,
): Draft {
  const leerlingnummer = r.pupil.leerlingnummer;
  const school = r.school;
  let schoolOut: { brin?: string; vestiging?: string } | null = null;
  if (school !== null && school !== undefined) {
    schoolOut = {};
    if (school.brin !== undefined) schoolOut.brin = school.brin;
    if (school.vestiging !== undefined) schoolOut.vestiging = school.vestiging;
  }
  return {
    recordId,
    sourceSystem: r.sourceSystem,
    sourceRecordType: r.sourceRecordType,
    sourceId: r.sourceId,
    pupil:
      leerlingnummer === undefined ? pupilOf(r.pupil.localId) : { localId: r.pupil.localId, leerlingnummer },
    school: schoolOut,
    date: dateKeyOfDay(day),
    start: startMs === null ? null : formatLocal(startMs),
    end: endMs === null ? null : formatLocal(endMs),
    wholeDay,
    lessonHourFrom,
    lessonHourTo,
    category,
    legalClass,
    registeredVia: r.via,
    missedMinutes,
    missedLessons,
    reasonCode: normaliseReasonCode(r.reasonCode),
    explainedBy: null,
    mapping,
  };
}
