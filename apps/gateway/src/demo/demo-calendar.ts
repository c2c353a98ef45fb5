/**
 * The school-year calendar of the demo board's holiday region (midden), for any school year, derived by rule.
 *
 * Rijksoverheid publishes the schoolvakanties a few years ahead; the demo must run on any date, so instead of
 * shipping tables that run out it derives the weeks by the rule the published years follow for region midden
 * (see `docs/demo.md`): the school year starts on the Monday of ISO week 36; herfstvakantie is ISO week 43,
 * voorjaarsvakantie ISO week 8, meivakantie ISO week 18, each from the Saturday before to the Sunday after;
 * kerstvakantie runs from the Saturday before the week of 25 December to the Sunday of the week of 1 January;
 * zomervakantie is the six weeks before the next school year. Closed days: Goede Vrijdag, Tweede Paasdag,
 * Koningsdag and Bevrijdingsdag (when not in a holiday), Hemelvaartsdag and the day after, Tweede Pinksterdag.
 * School year 2025-2026 is the one the shipped calendar (`config/demo/calendar.json`) holds from rijksoverheid's
 * publication, and the derivation reproduces it (`demo-calendar.spec.ts`); every other year is marked
 * `confirmed: false` — a demo calendar, not a statement about the real holidays.
 */

export interface DemoHoliday {
  readonly name: string;
  readonly start: string;
  readonly end: string;
}

export interface DemoClosedDay {
  readonly date: string;
  readonly name: string;
}

export interface DemoSchoolYear {
  /** e.g. "2026-2027". */
  readonly schoolYear: string;
  readonly firstSchoolDay: string;
  readonly lastSchoolDay: string;
  readonly holidays: readonly DemoHoliday[];
  readonly closedDays: readonly DemoClosedDay[];
  /** True only for the years checked against rijksoverheid's published schoolvakanties. */
  readonly confirmed: boolean;
}

const DAY_MS = 86_400_000;
/** School years whose derived weeks were checked against the published schoolvakanties (region midden). */
const CONFIRMED_START_YEARS: ReadonlySet<number> = new Set([2025]);

/** Days since the epoch of a calendar date (UTC arithmetic on dates only: no zone, no DST). */
export const dayNumber = (date: string): number => Math.round(Date.parse(`${date}T00:00:00Z`) / DAY_MS);
export const dateOfDay = (day: number): string => new Date(day * DAY_MS).toISOString().slice(0, 10);
/** 0 = Monday … 6 = Sunday. */
export const weekdayOf = (day: number): number => (((day + 3) % 7) + 7) % 7;
/** The Monday on or before a day. */
export const mondayOf = (day: number): number => day - weekdayOf(day);

/** The Monday of ISO week `week` of ISO year `year`. */
export function isoWeekMonday(year: number, week: number): number {
  const jan4 = dayNumber(`${year}-01-04`);
  return mondayOf(jan4) + (week - 1) * 7;
}

/** Easter Sunday (Gregorian, anonymous algorithm). */
export function easterSunday(year: number): number {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return dayNumber(`${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`);
}

const weekHoliday = (name: string, monday: number): DemoHoliday => ({
  name,
  start: dateOfDay(monday - 2),
  end: dateOfDay(monday + 6),
});

/** The first school day of the school year that starts in `startYear`. */
export const firstSchoolDayOf = (startYear: number): number => isoWeekMonday(startYear, 36);

/** The derived calendar of the school year that starts in `startYear` (e.g. 2026 → 2026-2027). */
export function deriveSchoolYear(startYear: number): DemoSchoolYear {
  const next = startYear + 1;
  const first = firstSchoolDayOf(startYear);
  const nextFirst = firstSchoolDayOf(next);
  const christmasMonday = mondayOf(dayNumber(`${startYear}-12-25`));
  const newYearMonday = mondayOf(dayNumber(`${next}-01-01`));
  const summerStart = nextFirst - 44;
  const holidays: DemoHoliday[] = [
    weekHoliday('Herfstvakantie', isoWeekMonday(startYear, 43)),
    { name: 'Kerstvakantie', start: dateOfDay(christmasMonday - 2), end: dateOfDay(newYearMonday + 6) },
    weekHoliday('Voorjaarsvakantie', isoWeekMonday(next, 8)),
    weekHoliday('Meivakantie', isoWeekMonday(next, 18)),
    { name: 'Zomervakantie', start: dateOfDay(summerStart), end: dateOfDay(nextFirst - 1) },
  ];
  const inHoliday = (day: number): boolean =>
    holidays.some((h) => day >= dayNumber(h.start) && day <= dayNumber(h.end));
  const easter = easterSunday(next);
  const kingsDay = dayNumber(`${next}-04-27`);
  const candidates: [number, string][] = [
    [easter - 2, 'Goede Vrijdag'],
    [easter + 1, 'Tweede Paasdag'],
    [weekdayOf(kingsDay) === 6 ? kingsDay - 1 : kingsDay, 'Koningsdag'],
    [dayNumber(`${next}-05-05`), 'Bevrijdingsdag'],
    [easter + 39, 'Hemelvaartsdag'],
    [easter + 40, 'Vrije dag na Hemelvaart'],
    [easter + 50, 'Tweede Pinksterdag'],
  ];
  const closedDays = candidates
    .filter(([day]) => weekdayOf(day) < 5 && !inHoliday(day))
    .sort(([a], [b]) => a - b)
    .map(([day, name]) => ({ date: dateOfDay(day), name }));
  return {
    schoolYear: `${startYear}-${next}`,
    firstSchoolDay: dateOfDay(first),
    lastSchoolDay: dateOfDay(summerStart - 1),
    holidays,
    closedDays,
    confirmed: CONFIRMED_START_YEARS.has(startYear),
  };
}

/** The start year of the school year a day belongs to (a summer holiday belongs to the year it ends). */
export const schoolYearStartOf = (day: number): number => {
  const year = Number(dateOfDay(day).slice(0, 4));
  return day >= firstSchoolDayOf(year) ? year : year - 1;
};
