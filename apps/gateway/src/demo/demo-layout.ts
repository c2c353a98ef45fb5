import { DateTime } from 'luxon';
import {
  type DemoClosedDay,
  type DemoHoliday,
  dateOfDay,
  dayNumber,
  deriveSchoolYear,
  mondayOf,
  schoolYearStartOf,
} from './demo-calendar.js';

/**
 * Lays the demo board (written for the term Sep–Dec 2025) out in the school year of "today", at load time.
 *
 * The board's school weeks (weeks with school days in its term) are mapped in order onto the same number of full
 * school weeks of the derived calendar (no holiday, no closed day), the last one being the latest full school week
 * before today with only holidays between the mapped weeks (with `alignHolidays`: and at which the board's own
 * holiday — the autumn holiday in its term — lands on a holiday again, for the luxe-verzuim story); each board
 * week moves by whole weeks, so weekdays stay weekdays, lesson times stay the same wall-clock time in
 * Europe/Amsterdam, and no record lands in a holiday. When today's school year has too few such weeks before
 * today, the layout reaches back across the summer holiday into the previous school year, and the calendar
 * spans from the layout's first week to the end of today's school year (at most 400 days, the calendar's limit). Dates outside the term (birth dates,
 * enrolments) move with the first week, dates after it with the last, so ages and enrolments stay consistent.
 */
export interface DemoLayout {
  /** Today's school year, e.g. "2026-2027". */
  readonly schoolYear: string;
  /** The calendar's dates for the loaded school calendar. */
  readonly calendar: {
    readonly firstSchoolDay: string;
    readonly lastSchoolDay: string;
    readonly holidays: readonly DemoHoliday[];
    readonly closedDays: readonly DemoClosedDay[];
    /** False when any year used is derived by rule and not checked against the published schoolvakanties. */
    readonly confirmed: boolean;
  };
  /** Board week Monday → target week Monday, in order. */
  readonly weeks: readonly { readonly from: string; readonly to: string }[];
  /** The shift in days (a multiple of 7) for a date of the board. */
  readonly shiftDays: (date: string) => number;
  /** A date of the board, moved. */
  readonly shiftDate: (date: string) => string;
  /** Every ISO date and date-time in a text (JSON payload) moved; wall time in Amsterdam and format kept. */
  readonly shiftText: (text: string) => string;
}

export interface BoardTerm {
  readonly from: string;
  readonly to: string;
  readonly holidays: readonly { readonly start: string; readonly end: string }[];
  readonly closedDays: readonly { readonly date: string }[];
}

const ZONE = 'Europe/Amsterdam';
const MAX_SPAN_DAYS = 400;

/** The Mondays of the weeks of a period that have at least one school day (a weekday outside holidays). */
function boardWeeks(term: BoardTerm): number[] {
  const inHoliday = (day: number): boolean =>
    term.holidays.some((h) => day >= dayNumber(h.start) && day <= dayNumber(h.end));
  const closed = new Set(term.closedDays.map((c) => dayNumber(c.date)));
  const weeks: number[] = [];
  for (let monday = mondayOf(dayNumber(term.from)); monday <= dayNumber(term.to); monday += 7) {
    const days = [0, 1, 2, 3, 4].map((d) => monday + d);
    if (
      days.some(
        (d) => d >= dayNumber(term.from) && d <= dayNumber(term.to) && !inHoliday(d) && !closed.has(d),
      )
    ) {
      weeks.push(monday);
    }
  }
  return weeks;
}

/** Full school weeks (Monday–Friday school days) of a school year, as Mondays. */
function fullSchoolWeeks(startYear: number): number[] {
  const year = deriveSchoolYear(startYear);
  const off = new Set<number>(year.closedDays.map((c) => dayNumber(c.date)));
  for (const h of year.holidays) for (let d = dayNumber(h.start); d <= dayNumber(h.end); d++) off.add(d);
  const weeks: number[] = [];
  for (
    let monday = dayNumber(year.firstSchoolDay);
    monday + 4 <= dayNumber(year.lastSchoolDay);
    monday += 7
  ) {
    if ([0, 1, 2, 3, 4].every((d) => !off.has(monday + d))) weeks.push(monday);
  }
  return weeks;
}

/** The Mondays of weeks whose school days (Monday–Friday) all lie in a holiday, of two school years. */
function holidayWeeks(startYear: number): Set<number> {
  const weeks = new Set<number>();
  for (const year of [deriveSchoolYear(startYear - 1), deriveSchoolYear(startYear)]) {
    for (const h of year.holidays) {
      for (let monday = mondayOf(dayNumber(h.start) + 2); monday + 4 <= dayNumber(h.end); monday += 7) {
        weeks.add(monday);
      }
    }
  }
  return weeks;
}

/**
 * The target weeks for the board's weeks: the latest run of full school weeks before today in which every holiday
 * inside the board's term lands on a holiday too — the week before it right before one, the week after it right
 * after one — so a story that depends on a holiday (luxe verzuim: absent on the days before the autumn holiday)
 * still does. Between those, board weeks follow the full school weeks in order.
 */
function alignedTarget(
  source: readonly number[],
  candidates: readonly number[],
  holidays: Set<number>,
  alignHolidays: boolean,
): number[] {
  const gaps = source.flatMap((monday, i) => (i > 0 && monday - source[i - 1] > 7 ? [i] : []));
  for (let end = candidates.length; end >= source.length; end--) {
    const target = candidates.slice(end - source.length, end);
    // Only holidays between target weeks: a skipped school week (one with a closed day) would stretch the board's
    // "16 hours within 4 school weeks" over five and lose its stories.
    const contiguous = target.every((monday, i) => {
      if (i === 0) return true;
      for (let week = target[i - 1] + 7; week < monday; week += 7) if (!holidays.has(week)) return false;
      return true;
    });
    const aligned =
      contiguous &&
      (!alignHolidays || gaps.every((i) => holidays.has(target[i - 1] + 7) && holidays.has(target[i] - 7)));
    if (aligned) return target;
  }
  return candidates.slice(candidates.length - source.length);
}

const DATE_OR_TIME =
  /(?<![\d-])(\d{4}-\d{2}-\d{2})(?:T(\d{2}):(\d{2})(:\d{2})?(\.\d+)?(Z|[+-]\d{2}:\d{2}))?(?![\d])/g;

export interface DemoLayoutOptions {
  /**
   * Also keep the board's own holiday on a holiday (for the pupils whose story depends on it, e.g. luxe verzuim):
   * the layout then often ends weeks earlier. Default: only whole weeks with nothing but holidays between them.
   */
  readonly alignHolidays?: boolean;
}

export function planDemoLayout(today: Date, term: BoardTerm, options: DemoLayoutOptions = {}): DemoLayout {
  const todayDay = dayNumber(DateTime.fromJSDate(today, { zone: ZONE }).toISODate() ?? '');
  const source = boardWeeks(term);
  const startYear = schoolYearStartOf(todayDay);
  const candidates = [...fullSchoolWeeks(startYear - 1), ...fullSchoolWeeks(startYear)].filter(
    (monday) => monday + 4 < todayDay,
  );
  if (candidates.length < source.length) throw new Error('not enough school weeks before today for the demo');
  const target = alignedTarget(source, candidates, holidayWeeks(startYear), options.alignHolidays ?? false);
  const deltas = source.map((monday, i) => target[i] - monday);

  const shiftDays = (date: string): number => {
    const day = dayNumber(date);
    let delta = deltas[0];
    for (let i = 0; i < source.length; i++) if (day >= source[i]) delta = deltas[i];
    return delta;
  };
  const shiftDate = (date: string): string => dateOfDay(dayNumber(date) + shiftDays(date));

  const shiftMatch = (
    whole: string,
    date: string,
    hh?: string,
    mm?: string,
    ss?: string,
    fraction?: string,
    zone?: string,
  ): string => {
    if (hh === undefined || mm === undefined || zone === undefined) return shiftDate(date);
    const local = DateTime.fromISO(`${date}T${hh}:${mm}${ss ?? ''}${zone}`, { setZone: true }).setZone(ZONE);
    if (!local.isValid) return whole;
    const localDate = local.toISODate() ?? date;
    const moved = local.plus({ days: shiftDays(localDate) });
    const out = zone === 'Z' ? moved.toUTC() : moved;
    const seconds = ss === undefined ? '' : out.toFormat(':ss');
    const suffix = zone === 'Z' ? 'Z' : out.toFormat('ZZ');
    return `${out.toFormat("yyyy-MM-dd'T'HH:mm")}${seconds}${fraction ?? ''}${suffix}`;
  };

  const current = deriveSchoolYear(startYear);
  const previous = deriveSchoolYear(startYear - 1);
  const first = Math.min(target[0], dayNumber(current.firstSchoolDay));
  const last = Math.min(dayNumber(current.lastSchoolDay), first + MAX_SPAN_DAYS - 1);
  const clip = (h: DemoHoliday): DemoHoliday | null => {
    const start = Math.max(dayNumber(h.start), first);
    const end = Math.min(dayNumber(h.end), last);
    return start > end ? null : { name: h.name, start: dateOfDay(start), end: dateOfDay(end) };
  };
  const years = first < dayNumber(current.firstSchoolDay) ? [previous, current] : [current];
  return {
    schoolYear: current.schoolYear,
    calendar: {
      firstSchoolDay: dateOfDay(first),
      lastSchoolDay: dateOfDay(last),
      holidays: years.flatMap((y) => y.holidays.map(clip).filter((h): h is DemoHoliday => h !== null)),
      closedDays: years
        .flatMap((y) => y.closedDays)
        .filter((c) => dayNumber(c.date) >= first && dayNumber(c.date) <= last),
      confirmed: years.every((y) => y.confirmed),
    },
    weeks: source.map((monday, i) => ({ from: dateOfDay(monday), to: dateOfDay(target[i]) })),
    shiftDays,
    shiftDate,
    shiftText: (text) =>
      text.replace(
        DATE_OR_TIME,
        (whole, date: string, hh?: string, mm?: string, ss?: string, fr?: string, z?: string) =>
          shiftMatch(whole, date, hh, mm, ss, fr, z),
      ),
  };
}
