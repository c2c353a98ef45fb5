import { type ErrorIssue, type Result, type SchoolCalendar, type Weekday, fail, ok } from '#domain';
import { isIsoDate } from '../shared/school-day.js';
import { SCHOOL_CALENDAR_ERRORS } from './school-calendar-error-codes.js';

const WEEKDAYS: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
/** A school calendar spans one school year; a little slack for odd years. */
const MAX_SPAN_DAYS = 400;

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Validates a school calendar in the shape of contracts §5 (`fixtures/calendars/example-school-2025-2026.json`).
 * Every problem is named with its field path and a code; values are never echoed (they are not personal, but
 * messages stay generic).
 */
export function parseSchoolCalendar(input: unknown): Result<SchoolCalendar> {
  const issues: ErrorIssue[] = [];
  const issue = (field: string, code: string, message: string): void => {
    issues.push({ field, code, message });
  };
  if (!isObject(input))
    return fail([{ field: '', code: SCHOOL_CALENDAR_ERRORS.NOT_AN_OBJECT, message: 'send a JSON object' }]);

  const date = (field: string, value: unknown): string | null => {
    if (value === undefined) {
      issue(field, SCHOOL_CALENDAR_ERRORS.REQUIRED, 'required');
      return null;
    }
    if (!isIsoDate(value)) {
      issue(field, SCHOOL_CALENDAR_ERRORS.INVALID_DATE, 'a date YYYY-MM-DD');
      return null;
    }
    return value;
  };
  const text = (field: string, value: unknown): string | null => {
    if (typeof value !== 'string' || value.trim() === '' || value.length > 200) {
      issue(field, SCHOOL_CALENDAR_ERRORS.INVALID_TEXT, 'a non-empty text of at most 200 characters');
      return null;
    }
    return value;
  };

  const first = date('firstSchoolDay', input['firstSchoolDay']);
  const last = date('lastSchoolDay', input['lastSchoolDay']);
  if (first && last) {
    if (last < first)
      issue('lastSchoolDay', SCHOOL_CALENDAR_ERRORS.DATE_ORDER, 'lastSchoolDay before firstSchoolDay');
    else if ((Date.parse(last) - Date.parse(first)) / 86_400_000 > MAX_SPAN_DAYS) {
      issue(
        'lastSchoolDay',
        SCHOOL_CALENDAR_ERRORS.SPAN_TOO_LONG,
        `a calendar spans at most ${MAX_SPAN_DAYS} days`,
      );
    }
  }

  const schoolDays: Weekday[] = [];
  const rawDays = input['schoolDays'];
  if (!Array.isArray(rawDays) || rawDays.length === 0) {
    issue('schoolDays', SCHOOL_CALENDAR_ERRORS.REQUIRED, 'a non-empty list of weekdays (mon … sun)');
  } else {
    rawDays.forEach((d, i) => {
      if (!WEEKDAYS.includes(d as Weekday))
        issue(`schoolDays[${i}]`, SCHOOL_CALENDAR_ERRORS.INVALID_WEEKDAY, 'mon … sun');
      else if (schoolDays.includes(d as Weekday))
        issue(`schoolDays[${i}]`, SCHOOL_CALENDAR_ERRORS.DUPLICATE, 'listed twice');
      else schoolDays.push(d as Weekday);
    });
  }

  const holidays: { name: string; start: string; end: string }[] = [];
  const rawHolidays = input['holidays'] ?? [];
  if (!Array.isArray(rawHolidays))
    issue('holidays', SCHOOL_CALENDAR_ERRORS.NOT_A_LIST, 'a list of { name, start, end }');
  else {
    rawHolidays.forEach((h, i) => {
      const at = `holidays[${i}]`;
      if (!isObject(h)) return issue(at, SCHOOL_CALENDAR_ERRORS.NOT_AN_OBJECT, '{ name, start, end }');
      const name = text(`${at}.name`, h['name']);
      const start = date(`${at}.start`, h['start']);
      const end = date(`${at}.end`, h['end']);
      if (start && end && end < start)
        issue(`${at}.end`, SCHOOL_CALENDAR_ERRORS.DATE_ORDER, 'end before start');
      else if (name && start && end) holidays.push({ name, start, end });
    });
  }

  const closedDays: { date: string; name: string }[] = [];
  const rawClosed = input['closedDays'] ?? [];
  if (!Array.isArray(rawClosed))
    issue('closedDays', SCHOOL_CALENDAR_ERRORS.NOT_A_LIST, 'a list of { date, name }');
  else {
    rawClosed.forEach((c, i) => {
      const at = `closedDays[${i}]`;
      if (!isObject(c)) return issue(at, SCHOOL_CALENDAR_ERRORS.NOT_AN_OBJECT, '{ date, name }');
      const d = date(`${at}.date`, c['date']);
      const name = text(`${at}.name`, c['name']);
      if (d && name) closedDays.push({ date: d, name });
    });
  }

  let bellSchedule: { lessonHour: number; start: string; end: string }[] | undefined;
  const rawBell = input['bellSchedule'];
  if (rawBell !== undefined) {
    bellSchedule = [];
    if (!Array.isArray(rawBell))
      issue('bellSchedule', SCHOOL_CALENDAR_ERRORS.NOT_A_LIST, 'a list of { lessonHour, start, end }');
    else {
      const seen = new Set<number>();
      rawBell.forEach((slot, i) => {
        const at = `bellSchedule[${i}]`;
        if (!isObject(slot))
          return issue(at, SCHOOL_CALENDAR_ERRORS.NOT_AN_OBJECT, '{ lessonHour, start, end }');
        const hour = slot['lessonHour'];
        const start = slot['start'];
        const end = slot['end'];
        if (typeof hour !== 'number' || !Number.isInteger(hour) || hour < 1 || hour > 12) {
          return issue(`${at}.lessonHour`, SCHOOL_CALENDAR_ERRORS.INVALID_LESSON_HOUR, 'an integer 1..12');
        }
        if (seen.has(hour))
          return issue(`${at}.lessonHour`, SCHOOL_CALENDAR_ERRORS.DUPLICATE, 'lesson hour listed twice');
        if (typeof start !== 'string' || !TIME.test(start))
          return issue(`${at}.start`, SCHOOL_CALENDAR_ERRORS.INVALID_TIME, 'HH:mm');
        if (typeof end !== 'string' || !TIME.test(end))
          return issue(`${at}.end`, SCHOOL_CALENDAR_ERRORS.INVALID_TIME, 'HH:mm');
        if (end <= start) return issue(`${at}.end`, SCHOOL_CALENDAR_ERRORS.TIME_ORDER, 'end not after start');
        seen.add(hour);
        bellSchedule?.push({ lessonHour: hour, start, end });
      });
    }
  }

  const timezone = input['timezone'];
  if (timezone !== undefined && timezone !== 'Europe/Amsterdam') {
    issue('timezone', SCHOOL_CALENDAR_ERRORS.UNSUPPORTED_TIMEZONE, 'only Europe/Amsterdam');
  }
  const schoolYear = input['schoolYear'];
  if (schoolYear !== undefined && (typeof schoolYear !== 'string' || !/^\d{4}-\d{4}$/.test(schoolYear))) {
    issue('schoolYear', SCHOOL_CALENDAR_ERRORS.INVALID_SCHOOL_YEAR, 'e.g. 2025-2026');
  }
  let school: SchoolCalendar['school'];
  const rawSchool = input['school'];
  if (rawSchool !== undefined) {
    if (!isObject(rawSchool))
      issue('school', SCHOOL_CALENDAR_ERRORS.NOT_AN_OBJECT, '{ brin?, vestiging?, sector? }');
    else {
      const pick = (k: string): string | undefined => {
        const value = rawSchool[k];
        return typeof value === 'string' ? value : undefined;
      };
      school = { brin: pick('brin'), vestiging: pick('vestiging'), sector: pick('sector') };
    }
  }

  if (issues.length > 0 || !first || !last) return fail(issues);
  return ok({
    ...(school ? { school } : {}),
    ...(typeof schoolYear === 'string' ? { schoolYear } : {}),
    timezone: 'Europe/Amsterdam',
    firstSchoolDay: first,
    lastSchoolDay: last,
    schoolDays,
    holidays,
    closedDays,
    ...(bellSchedule ? { bellSchedule } : {}),
  });
}
