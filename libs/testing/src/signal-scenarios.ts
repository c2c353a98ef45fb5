import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { CanonicalRecord, SchoolCalendar } from '#domain';
import { aCanonicalRecord } from './builders.js';

/** The example school calendar of the shared fixtures (school 99XX, vo, region midden, 2025-2026). */
export const EXAMPLE_CALENDAR_FILE = fileURLToPath(
  new URL('../../../../../shared/fixtures/calendars/example-school-2025-2026.json', import.meta.url),
);

/** The example calendar, optionally for another school (BRIN). */
export function exampleSchoolCalendar(school = '99XX'): SchoolCalendar {
  const calendar = JSON.parse(readFileSync(EXAMPLE_CALENDAR_FILE, 'utf8')) as SchoolCalendar;
  return { ...calendar, school: { ...calendar.school, brin: school } };
}

/** The example calendar's bell schedule: lesson hour → [start, end] (50-minute lessons). */
const BELLS: Readonly<Record<number, readonly [string, string]>> = {
  1: ['08:30', '09:20'],
  2: ['09:20', '10:10'],
  3: ['10:30', '11:20'],
  4: ['11:20', '12:10'],
  5: ['12:40', '13:30'],
  6: ['13:30', '14:20'],
  7: ['14:30', '15:20'],
  8: ['15:20', '16:10'],
};

const AMSTERDAM_OFFSET = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/Amsterdam',
  timeZoneName: 'shortOffset',
});

/** `+01:00` or `+02:00`: Amsterdam's offset at noon of a date. */
function offsetOn(date: string): string {
  const name =
    AMSTERDAM_OFFSET.formatToParts(new Date(`${date}T12:00:00Z`)).find((p) => p.type === 'timeZoneName')
      ?.value ?? 'GMT+1';
  return `+0${name.replace('GMT+', '')}:00`;
}

export interface TruancyOptions {
  readonly localId: string;
  readonly school?: string;
  readonly vestiging?: string;
  /** Prefix of record and source ids (unique per scenario). */
  readonly prefix: string;
  /** School days (`YYYY-MM-DD`) of the example calendar. */
  readonly days: readonly string[];
  /** Lesson hours (1..8) missed on each day; default 1..4. */
  readonly hours?: readonly number[];
}

/**
 * Unauthorised absence as a teacher registers it: one record per missed 50-minute lesson of the example
 * calendar's bell schedule (a lesson of at most 60 minutes is one lesson hour for vo), `TEACHER_CHECK` so the
 * daily check of the three sources has nothing to ask. Ids: `${prefix}-${dayIndex}-${hour}`.
 */
export function truancyRecords(options: TruancyOptions): CanonicalRecord[] {
  const hours = options.hours ?? [1, 2, 3, 4];
  return options.days.flatMap((date, d) =>
    hours.map((hour) => {
      const [from, to] = BELLS[hour] ?? BELLS[1];
      const id = `${options.prefix}-${d}-${hour}`;
      return aCanonicalRecord({
        recordId: id,
        sourceId: id,
        pupil: { localId: options.localId },
        school: { brin: options.school ?? '99XX', vestiging: options.vestiging ?? '00' },
        date,
        start: `${date}T${from}:00${offsetOn(date)}`,
        end: `${date}T${to}:00${offsetOn(date)}`,
        wholeDay: false,
        lessonHourFrom: hour,
        lessonHourTo: hour,
        category: 'UNAUTHORISED',
        legalClass: 'unauthorised',
        registeredVia: 'TEACHER_CHECK',
        missedMinutes: 50,
        missedLessons: 1,
        reasonCode: null,
      });
    }),
  );
}

/** Monday 15 … Friday 19 September 2025: one school week of the example calendar. */
export const SEPTEMBER_WEEK = ['2025-09-15', '2025-09-16', '2025-09-17', '2025-09-18', '2025-09-19'] as const;
