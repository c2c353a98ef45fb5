import type { CanonicalRecord, Category, MeasureUnit, SchoolCalendar, SignalPupil } from '#domain';
import { type CalendarIndex, indexCalendar } from './calendar-index.js';
import { dayNumber, minutesBetween } from './dates.js';

/** A record with what every rule needs, computed once per evaluation. */
export interface Prepared {
  readonly r: CanonicalRecord;
  readonly day: number;
  readonly minutes: number;
  readonly lessons: number;
  /** Counts toward unauthorised thresholds (unauthorised, not a teacher check a report explains, not a duplicate lesson). */
  counted: boolean;
}

const bellCache = new WeakMap<SchoolCalendar, Map<number, number>>();
function bellMinutes(calendar: SchoolCalendar): Map<number, number> {
  let map = bellCache.get(calendar);
  if (!map) {
    map = new Map();
    for (const b of calendar.bellSchedule ?? []) {
      const [sh, sm] = b.start.split(':').map(Number);
      const [eh, em] = b.end.split(':').map(Number);
      const minutes = (eh ?? 0) * 60 + (em ?? 0) - ((sh ?? 0) * 60 + (sm ?? 0));
      if (Number.isFinite(minutes) && minutes > 0) map.set(b.lessonHour, minutes);
    }
    bellCache.set(calendar, map);
  }
  return map;
}

const VIA_ORDER = { REPORT: 0, CALL_BACK: 1, TEACHER_CHECK: 2, AGGREGATE: 3 } as const;

function compare(a: Prepared, b: Prepared): number {
  return (
    a.day - b.day ||
    (a.r.lessonHourFrom ?? -1) - (b.r.lessonHourFrom ?? -1) ||
    VIA_ORDER[a.r.registeredVia] - VIA_ORDER[b.r.registeredVia] ||
    (a.r.recordId < b.r.recordId ? -1 : a.r.recordId > b.r.recordId ? 1 : 0)
  );
}

export interface PupilContext {
  readonly pupil: SignalPupil;
  readonly cal: CalendarIndex;
  readonly asOf: number;
  /** Records dated on or before as-of, sorted by day, lesson hour, source, id; aggregates left out. */
  readonly recs: readonly Prepared[];
  /** Teacher checks that found the pupil present, as day × 32 + lesson hour (never evidence, so kept lean). */
  readonly presentChecks: readonly number[];
  /** Records per category, in order, without teacher checks a report explains. */
  readonly byCategory: ReadonlyMap<Category, readonly Prepared[]>;
  /** Unauthorised minutes per school day that has counted absence (day number → minutes, whole-day flag). */
  readonly unauthorisedDays: ReadonlyMap<number, { minutes: number; wholeDay: boolean }>;
  /** The earliest day after as-of on which the result may change with no new record (or +Infinity). */
  wake: number;
}

/**
 * Prepares one pupil's records: drop aggregates and records after as-of, derive minutes and lessons
 * (missedMinutes, else end − start, else the bell schedule), sort deterministically, and mark what counts
 * toward unauthorised thresholds. A teacher check that a report explains is not counted twice, and two
 * unauthorised records of the same lesson hour count once.
 */
export function preparePupil(
  pupil: SignalPupil,
  records: readonly CanonicalRecord[],
  calendar: SchoolCalendar,
  asOf: number,
): PupilContext {
  const cal = indexCalendar(calendar);
  const bells = bellMinutes(calendar);
  const recs: Prepared[] = [];
  const presentChecks: number[] = [];
  let wake = Number.POSITIVE_INFINITY;
  for (const r of records) {
    if (r.registeredVia === 'AGGREGATE') continue;
    const day = dayNumber(r.date);
    if (Number.isNaN(day)) continue;
    if (day > asOf) {
      if (day < wake) wake = day;
      continue;
    }
    if (r.category === 'PRESENT') {
      if (r.registeredVia === 'TEACHER_CHECK' && r.lessonHourFrom !== null) {
        const to = r.lessonHourTo ?? r.lessonHourFrom;
        for (let h = r.lessonHourFrom; h <= to && h < 32; h++) presentChecks.push(day * 32 + h);
      }
      continue;
    }
    const from = r.lessonHourFrom;
    const to = r.lessonHourTo ?? from;
    let lessons = r.missedLessons ?? (from !== null && to !== null && to >= from ? to - from + 1 : 0);
    let minutes = r.missedMinutes ?? minutesBetween(r.start, r.end);
    if (minutes === null) {
      minutes = 0;
      if (from !== null && to !== null) for (let h = from; h <= to; h++) minutes += bells.get(h) ?? 0;
    }
    if (lessons < 0) lessons = 0;
    recs.push({ r, day, minutes: minutes < 0 ? 0 : minutes, lessons, counted: false });
  }
  recs.sort(compare);
  const unauthorisedDays = new Map<number, { minutes: number; wholeDay: boolean }>();
  const byCategory = new Map<Category, Prepared[]>();
  let currentDay = Number.NaN;
  let hours = 0;
  for (const p of recs) {
    const r = p.r;
    if (!(r.registeredVia === 'TEACHER_CHECK' && r.explainedBy !== null)) {
      const list = byCategory.get(r.category);
      if (list) list.push(p);
      else byCategory.set(r.category, [p]);
    }
    if (r.legalClass !== 'unauthorised') continue;
    if (r.registeredVia === 'TEACHER_CHECK' && r.explainedBy !== null) continue;
    if (p.day !== currentDay) {
      currentDay = p.day;
      hours = 0;
    }
    const from = r.lessonHourFrom;
    if (from !== null && from >= 0 && from < 31) {
      const to = Math.min(r.lessonHourTo ?? from, 30);
      let mask = 0;
      for (let h = from; h <= to; h++) mask |= 1 << h;
      if ((hours & mask) === mask) continue;
      hours |= mask;
    }
    p.counted = true;
    const d = unauthorisedDays.get(p.day);
    if (d) {
      d.minutes += p.minutes;
      d.wholeDay ||= r.wholeDay;
    } else unauthorisedDays.set(p.day, { minutes: p.minutes, wholeDay: r.wholeDay });
  }
  return { pupil, cal, asOf, recs, presentChecks, byCategory, unauthorisedDays, wake };
}

/** Minutes in the unit of the 16-hour rule: lesson hours count each lesson as a full hour (60). */
export function unitMinutes(p: Prepared, unit: MeasureUnit, lessonHourMinutes: number): number {
  if (unit === 'CLOCK_HOUR') return p.minutes;
  return p.lessons > 0 ? Math.max(p.lessons * lessonHourMinutes, p.minutes) : p.minutes;
}
