import type { Lesson, QuarantinedInput } from '#domain';
import {
  DAY_MS,
  HOUR_MS,
  MINUTE_MS,
  localDayOf,
  parseTime,
  wallToInstant,
  weekdayOfDay,
} from './amsterdam-time.js';
import { type BellSlot, isLessonHour, minutesOfDay } from './bell-schedule.js';

/** A lesson with its times resolved to instants, from the pupil's timetable or the bell schedule. */
export interface ScheduledLesson {
  /** Stable within the day: the timetable's lessonId, or `lesuur-<n>` for a bell-schedule slot. */
  readonly lessonId: string;
  readonly day: number;
  readonly startMs: number;
  readonly endMs: number;
  /** Scheduled duration; may be shorter than end − start when the timetable says so. */
  readonly durationMs: number;
  readonly lessonHour: number | null;
  readonly cancelled: boolean;
}

/** What a pupil's timetable says about one day. */
export type DayPlan =
  | { readonly kind: 'lessons'; readonly lessons: readonly ScheduledLesson[] }
  /** The pupil's timetable covers the day and has no lesson on it. */
  | { readonly kind: 'free' }
  /** Nothing is known about the day. */
  | { readonly kind: 'unknown' };

/** A single lesson may not last longer than this (an impossible time otherwise). */
export const MAX_LESSON_MS = 12 * HOUR_MS;

const UNKNOWN: DayPlan = { kind: 'unknown' };
const FREE: DayPlan = { kind: 'free' };

/** A lesson of a timetable as a scheduled lesson, or why its times cannot be used. */
export function scheduleLesson(lesson: Lesson): ScheduledLesson | string {
  const start = typeof lesson.start === 'string' ? parseTime(lesson.start) : null;
  if (start === null || start.form === 'date') return 'start: not a valid time';
  const end = typeof lesson.end === 'string' ? parseTime(lesson.end) : null;
  if (end === null || end.form === 'date') return 'end: not a valid time';
  const span = end.ms - start.ms;
  if (span <= 0) return 'end: not after start';
  if (span > MAX_LESSON_MS) return 'end: the lesson lasts longer than 12 hours';
  if (lesson.lessonHour !== null && !isLessonHour(lesson.lessonHour)) {
    return 'lessonHour: outside 0–20 or not an integer';
  }
  // The timetable's own duration wins when it is shorter (a lesson with a break inside it), never when longer.
  const stated = lesson.durationMinutes * MINUTE_MS;
  return {
    lessonId: lesson.lessonId,
    day: localDayOf(start.ms),
    startMs: start.ms,
    endMs: end.ms,
    durationMs: Number.isFinite(stated) && stated > 0 && stated < span ? stated : span,
    lessonHour: lesson.lessonHour,
    cancelled: lesson.cancelled === true,
  };
}

const byStart = (a: ScheduledLesson, b: ScheduledLesson): number =>
  a.startMs - b.startMs ||
  a.endMs - b.endMs ||
  (a.lessonId < b.lessonId ? -1 : a.lessonId > b.lessonId ? 1 : 0);

class DayIndex {
  readonly byDay = new Map<number, ScheduledLesson[]>();
  first = Number.POSITIVE_INFINITY;
  last = Number.NEGATIVE_INFINITY;

  add(lesson: ScheduledLesson): void {
    let list = this.byDay.get(lesson.day);
    if (list === undefined) {
      list = [];
      this.byDay.set(lesson.day, list);
    }
    // The same lesson twice (two payloads overlapping) is one lesson.
    if (!list.some((l) => l.lessonId === lesson.lessonId)) list.push(lesson);
    if (lesson.day < this.first) this.first = lesson.day;
    if (lesson.day > this.last) this.last = lesson.day;
  }

  plan(day: number): DayPlan | null {
    const lessons = this.byDay.get(day);
    if (lessons !== undefined) return { kind: 'lessons', lessons };
    return day >= this.first && day <= this.last ? FREE : null;
  }
}

/**
 * The timetables of a batch, indexed once: lessons by id (for `lessonRef`), by pupil and day, the lessons
 * without a pupil (a timetable fetched for one pupil or one group), and the bell schedule per day.
 */
export class Timetable {
  readonly quarantined: QuarantinedInput[] = [];
  private readonly byRef = new Map<string, ScheduledLesson>();
  private readonly byPupil = new Map<string, DayIndex>();
  private readonly shared = new DayIndex();
  private readonly bell: readonly { hour: number; from: number; to: number }[] | null;
  private readonly bellByDay = new Map<number, readonly ScheduledLesson[]>();

  constructor(lessons: readonly Lesson[], bellSchedule: readonly BellSlot[] | null) {
    // Sorted first, so that which of two lessons with the same id wins does not depend on input order.
    const ordered = [...lessons].sort(compareLessons);
    const refOwner = new Map<string, 'lessonId' | 'sourceId'>();
    for (const lesson of ordered) {
      const scheduled = scheduleLesson(lesson);
      if (typeof scheduled === 'string') {
        this.quarantined.push({
          quarantined: true,
          sourceSystem: lesson.sourceSystem,
          sourceId: lesson.sourceId,
          reason: 'IMPOSSIBLE_TIME',
          detail: `lesson ${scheduled}`,
          raw: lesson,
        });
        continue;
      }
      // A lessonRef names a lesson by its lessonId or by the source's id; the lessonId wins a clash.
      if (refOwner.get(lesson.lessonId) !== 'lessonId') {
        this.byRef.set(lesson.lessonId, scheduled);
        refOwner.set(lesson.lessonId, 'lessonId');
      }
      if (!refOwner.has(lesson.sourceId)) {
        this.byRef.set(lesson.sourceId, scheduled);
        refOwner.set(lesson.sourceId, 'sourceId');
      }
      if (lesson.pupil === undefined) {
        this.shared.add(scheduled);
      } else {
        let index = this.byPupil.get(lesson.pupil);
        if (index === undefined) {
          index = new DayIndex();
          this.byPupil.set(lesson.pupil, index);
        }
        index.add(scheduled);
      }
    }
    for (const index of [this.shared, ...this.byPupil.values()]) {
      for (const list of index.byDay.values()) list.sort(byStart);
    }
    this.bell =
      bellSchedule === null
        ? null
        : bellSchedule.flatMap((slot) => {
            const from = minutesOfDay(slot.start);
            const to = minutesOfDay(slot.end);
            // Unvalidated slots (parseBellSchedule was not used) are skipped, never guessed at.
            return from === null || to === null || to <= from || !isLessonHour(slot.lessonHour)
              ? []
              : [{ hour: slot.lessonHour, from, to }];
          });
  }

  lessonByRef(ref: string): ScheduledLesson | undefined {
    return this.byRef.get(ref);
  }

  /**
   * What the pupil's timetable says about a day: the pupil's own lessons; when the pupil has no timetable of
   * its own, the shared one; a day inside the timetable's range without lessons is free. `useBell`: fall back
   * to the bell schedule (school days only: Monday to Friday) when the timetables know nothing.
   */
  plan(pupil: string, day: number, useBell: boolean): DayPlan {
    const own = this.byPupil.get(pupil);
    const fromTimetable = own !== undefined ? own.plan(day) : this.shared.plan(day);
    if (fromTimetable !== null) return fromTimetable;
    if (useBell) {
      const weekday = weekdayOfDay(day);
      if (weekday !== 0 && weekday !== 6) {
        const lessons = this.bellLessons(day);
        if (lessons.length > 0) return { kind: 'lessons', lessons };
      }
    }
    return UNKNOWN;
  }

  /** The lessons with these lesson hours on a day: from the pupil's timetable, else from the bell schedule. */
  lessonsForHours(pupil: string, day: number, from: number, to: number): readonly ScheduledLesson[] | null {
    const own = this.byPupil.get(pupil);
    const plan = own !== undefined ? own.plan(day) : this.shared.plan(day);
    if (plan !== null && plan.kind === 'lessons') {
      const hits = plan.lessons.filter(
        (l) => l.lessonHour !== null && l.lessonHour >= from && l.lessonHour <= to,
      );
      if (hits.length > 0) return hits;
    }
    if (this.bell === null) return null;
    const slots = this.bellLessons(day).filter(
      (l) => (l.lessonHour ?? -1) >= from && (l.lessonHour ?? -1) <= to,
    );
    // Every hour must be in the bell schedule: a gap would make the times a guess.
    return slots.length === to - from + 1 ? slots : null;
  }

  private bellLessons(day: number): readonly ScheduledLesson[] {
    if (this.bell === null) return [];
    const cached = this.bellByDay.get(day);
    if (cached !== undefined) return cached;
    const lessons: ScheduledLesson[] = [];
    for (const slot of this.bell) {
      const startMs = wallToInstant(day * DAY_MS + slot.from * MINUTE_MS);
      const endMs = wallToInstant(day * DAY_MS + slot.to * MINUTE_MS);
      // A slot inside the hour skipped when summer time starts does not exist that day.
      if (startMs === null || endMs === null || endMs <= startMs) continue;
      lessons.push({
        lessonId: `lesuur-${slot.hour}`,
        day,
        startMs,
        endMs,
        durationMs: endMs - startMs,
        lessonHour: slot.hour,
        cancelled: false,
      });
    }
    lessons.sort(byStart);
    this.bellByDay.set(day, lessons);
    return lessons;
  }
}

function compareLessons(a: Lesson, b: Lesson): number {
  return (
    cmp(a.lessonId, b.lessonId) ||
    cmp(a.sourceId, b.sourceId) ||
    cmp(a.pupil ?? '', b.pupil ?? '') ||
    cmp(String(a.start), String(b.start)) ||
    cmp(String(a.end), String(b.end)) ||
    Number(a.cancelled) - Number(b.cancelled)
  );
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
