// Time placement: a record's times read (the sources' traps undone) and the record measured against its lessons.
import type { SourceRecord } from '#domain';
import {
  DAY_MS,
  MINUTE_MS,
  type ParsedTime,
  SECOND_MS,
  localDayOf,
  localWallMs,
  parseDateKey,
  parseTime,
  startOfLocalDay,
} from './amsterdam-time.js';
import { isLessonHour } from './bell-schedule.js';
import { type Categorised, Rejection, impossible } from './drafts.js';
import { expand } from './expansion.js';
import { placeLate } from './lateness.js';
import { type Placement, isLate } from './placement.js';
import { MAX_LESSON_MS, type ScheduledLesson, type Timetable, scheduleLesson } from './timetable.js';
import { NORMALISATION_ERRORS } from './normalisation-error-codes.js';

/** A span of whole days longer than this is a typo, not an absence (and would expand without bound). */
export const MAX_SPAN_DAYS = 366;

/** Adds the record's canonical records to the batch (several when a day or span is expanded), or rejects it. */
export function place(
  record: SourceRecord,
  categorised: Categorised,
  placement: Placement,
): Rejection | null {
  const p = readTimes(record, categorised, placement);
  if (p instanceof Rejection) return p;
  const { timetable } = p;
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
    if (firstDay === null)
      return new Rejection(NORMALISATION_ERRORS.MISSING_FIELD, 'date: a whole-day record without a date');
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
    return single(p, startMs, endMs, linked === null ? null : p.only(linked));
  }

  if (linked !== null) {
    const s = startMs ?? linked.startMs;
    const e = endMs ?? linked.endMs;
    if (e < s) return impossible('start: after the end of its lesson');
    return single(p, s, e, p.only(linked));
  }

  const day = firstDay ?? (startMs === null ? null : localDayOf(startMs));
  if (day === null)
    return new Rejection(NORMALISATION_ERRORS.MISSING_FIELD, 'date: neither a date nor a time');
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

/** Reads and checks the record's times, undoing the source's traps. */
export function readTimes(
  record: SourceRecord,
  categorised: Categorised,
  placement: Placement,
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
  return placement.reset(record, categorised, startMs, endMs, arrivedMs, firstDay, endDay, hourFrom, hourTo);
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
