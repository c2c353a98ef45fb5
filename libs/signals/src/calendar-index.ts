import type { SchoolCalendar, Weekday } from '#domain';
import { dateOf, dayNumber, mondayOf, weekdayOf } from './dates.js';

const WEEKDAYS: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/** A holiday as day numbers, inclusive. */
export interface HolidaySpan {
  readonly name: string;
  readonly start: number;
  readonly end: number;
}

/**
 * One school calendar, precomputed once: whether a day is a school day, its school-week number (weeks that
 * are wholly holiday or closed get none, so "4 consecutive school weeks" may span more calendar weeks) and
 * its school-day ordinal. Built once per calendar object and cached (WeakMap), never in a hot loop.
 */
export class CalendarIndex {
  readonly first: number;
  readonly last: number;
  readonly holidays: readonly HolidaySpan[];
  /** Per day in [first, last]: school-day ordinal or -1. */
  private readonly ordinal: Int32Array;
  /** Per day in [first, last]: school-week number (0-based) or -1 when the week has no school day. */
  private readonly week: Int32Array;
  /** Day number of each school day, by ordinal. */
  readonly schoolDays: Int32Array;

  constructor(calendar: SchoolCalendar) {
    this.first = dayNumber(calendar.firstSchoolDay);
    this.last = dayNumber(calendar.lastSchoolDay);
    const size = Math.max(0, this.last - this.first + 1);
    const open = new Set(calendar.schoolDays.map((d) => WEEKDAYS.indexOf(d)));
    const closed = new Set(calendar.closedDays.map((c) => dayNumber(c.date)));
    this.holidays = calendar.holidays
      .map((h) => ({ name: h.name, start: dayNumber(h.start), end: dayNumber(h.end) }))
      .sort((a, b) => a.start - b.start);
    this.ordinal = new Int32Array(size).fill(-1);
    this.week = new Int32Array(size).fill(-1);
    const days: number[] = [];
    for (let i = 0; i < size; i++) {
      const day = this.first + i;
      if (!open.has(weekdayOf(day)) || closed.has(day)) continue;
      if (this.holidays.some((h) => day >= h.start && day <= h.end)) continue;
      this.ordinal[i] = days.length;
      days.push(day);
    }
    this.schoolDays = Int32Array.from(days);
    let weekNo = -1;
    let lastMonday = Number.NaN;
    for (const day of days) {
      const monday = mondayOf(day);
      if (monday !== lastMonday) {
        weekNo++;
        lastMonday = monday;
      }
      for (let d = Math.max(monday, this.first); d <= Math.min(monday + 6, this.last); d++) {
        this.week[d - this.first] = weekNo;
      }
    }
  }

  isSchoolDay(day: number): boolean {
    return day >= this.first && day <= this.last && this.ordinal[day - this.first] >= 0;
  }

  /** School-day ordinal, or -1. */
  schoolDayOrdinal(day: number): number {
    return day >= this.first && day <= this.last ? this.ordinal[day - this.first] : -1;
  }

  /** School-week number, or -1 (outside the calendar or a week without school days). */
  schoolWeek(day: number): number {
    return day >= this.first && day <= this.last ? this.week[day - this.first] : -1;
  }

  /** The holiday that starts right after this school day (no school day in between), if any. */
  holidayAfter(day: number): HolidaySpan | null {
    const ord = this.schoolDayOrdinal(day);
    if (ord < 0) return null;
    const next = ord + 1 < this.schoolDays.length ? this.schoolDays[ord + 1] : this.last + 1;
    return this.holidays.find((h) => h.start > day && h.start < next) ?? null;
  }

  /** The holiday that ends right before this school day (no school day in between), if any. */
  holidayBefore(day: number): HolidaySpan | null {
    const ord = this.schoolDayOrdinal(day);
    if (ord < 0) return null;
    const prev = ord > 0 ? this.schoolDays[ord - 1] : this.first - 1;
    return this.holidays.find((h) => h.end < day && h.end > prev) ?? null;
  }

  date(day: number): string {
    return dateOf(day);
  }
}

const cache = new WeakMap<SchoolCalendar, CalendarIndex>();

export function indexCalendar(calendar: SchoolCalendar): CalendarIndex {
  let index = cache.get(calendar);
  if (!index) {
    index = new CalendarIndex(calendar);
    cache.set(calendar, index);
  }
  return index;
}
