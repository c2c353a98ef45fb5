import { type ErrorIssue, type Result, fail, ok } from '#domain';
import { NORMALISATION_ERRORS } from './normalisation-error-codes.js';

/** One lesson hour of a school's bell schedule (lesrooster): local wall times in Europe/Amsterdam. */
export interface BellSlot {
  readonly lessonHour: number;
  /** `HH:mm` */
  readonly start: string;
  /** `HH:mm` */
  readonly end: string;
}

/** Lesson hours a school can have (contracts: per day, lesson hours 1..12; 0 is an early "zeroth" hour). */
export const MIN_LESSON_HOUR = 0;
export const MAX_LESSON_HOUR = 20;

const HH_MM = /^(\d{2}):(\d{2})$/;

/** Minutes after local midnight of `HH:mm`, or null when it is no valid time of day. */
export function minutesOfDay(text: string): number | null {
  const m = HH_MM.exec(text);
  if (m === null) return null;
  const h = Number(m[1]);
  const mi = Number(m[2]);
  return h > 23 || mi > 59 ? null : h * 60 + mi;
}

export function isLessonHour(value: unknown): value is number {
  return (
    Number.isInteger(value) && (value as number) >= MIN_LESSON_HOUR && (value as number) <= MAX_LESSON_HOUR
  );
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Validates a bell schedule: the calendar file shape `{ bellSchedule: [...] }` (as in the shared school calendar)
 * or a bare array of `{ lessonHour, start: "HH:mm", end: "HH:mm" }`. Returns the slots sorted by lesson hour.
 */
export function parseBellSchedule(value: unknown): Result<BellSlot[]> {
  let slots: unknown = value;
  let path = '';
  if (isObject(value)) {
    if (!('bellSchedule' in value)) {
      return fail([
        {
          field: 'bellSchedule',
          code: NORMALISATION_ERRORS.MISSING_FIELD,
          message: 'bellSchedule is missing',
        },
      ]);
    }
    slots = value['bellSchedule'];
    path = 'bellSchedule';
  }
  if (!Array.isArray(slots)) {
    return fail([
      {
        field: path || '(root)',
        code: NORMALISATION_ERRORS.WRONG_TYPE,
        message: 'a bell schedule is an array of lesson hours',
      },
    ]);
  }
  const issues: ErrorIssue[] = [];
  const parsed: { slot: BellSlot; from: number; to: number }[] = [];
  const seen = new Set<number>();
  slots.forEach((raw: unknown, i) => {
    const at = `${path}[${i}]`;
    if (!isObject(raw)) {
      issues.push({
        field: at,
        code: NORMALISATION_ERRORS.WRONG_TYPE,
        message: 'a lesson hour is an object',
      });
      return;
    }
    let good = true;
    const hour = raw['lessonHour'];
    if (hour === undefined || hour === null) {
      issues.push({
        field: `${at}.lessonHour`,
        code: NORMALISATION_ERRORS.MISSING_FIELD,
        message: 'lessonHour is missing',
      });
      good = false;
    } else if (!isLessonHour(hour)) {
      issues.push({
        field: `${at}.lessonHour`,
        code: NORMALISATION_ERRORS.INVALID_LESSON_HOUR,
        message: `lessonHour must be an integer from ${MIN_LESSON_HOUR} to ${MAX_LESSON_HOUR}`,
      });
      good = false;
    } else if (seen.has(hour)) {
      issues.push({
        field: `${at}.lessonHour`,
        code: NORMALISATION_ERRORS.DUPLICATE_LESSON_HOUR,
        message: 'lessonHour occurs twice',
      });
      good = false;
    } else {
      seen.add(hour);
    }
    const times: number[] = [];
    for (const key of ['start', 'end'] as const) {
      const text = raw[key];
      if (text === undefined || text === null) {
        issues.push({
          field: `${at}.${key}`,
          code: NORMALISATION_ERRORS.MISSING_FIELD,
          message: `${key} is missing`,
        });
        good = false;
      } else {
        const minutes = typeof text === 'string' ? minutesOfDay(text) : null;
        if (minutes === null) {
          issues.push({
            field: `${at}.${key}`,
            code: NORMALISATION_ERRORS.INVALID_TIME,
            message: `${key} must be a time HH:mm`,
          });
          good = false;
        } else {
          times.push(minutes);
        }
      }
    }
    if (times.length === 2 && times[1] <= times[0]) {
      issues.push({
        field: `${at}.end`,
        code: NORMALISATION_ERRORS.END_NOT_AFTER_START,
        message: 'end must be after start',
      });
      good = false;
    }
    if (good) {
      parsed.push({
        slot: { lessonHour: hour as number, start: raw['start'] as string, end: raw['end'] as string },
        from: times[0],
        to: times[1],
      });
    }
  });
  if (issues.length > 0) return fail(issues);
  // Overlapping slots would count the same minutes twice when a whole day is expanded per lesson hour.
  const byStart = [...parsed].sort((a, b) => a.from - b.from);
  for (let i = 1; i < byStart.length; i++) {
    if (byStart[i].from < byStart[i - 1].to) {
      issues.push({
        field: `${path}[${parsed.indexOf(byStart[i])}].start`,
        code: NORMALISATION_ERRORS.OVERLAPPING_SLOTS,
        message: 'this lesson hour starts before the previous one ends',
      });
    }
  }
  if (issues.length > 0) return fail(issues);
  return ok(parsed.map((p) => p.slot).sort((a, b) => a.lessonHour - b.lessonHour));
}
