// Lateness: a late arrival measured from the lesson start to the arrival, capped to its lesson.
import { localDayOf } from './amsterdam-time.js';
import { Rejection, impossible } from './drafts.js';
import type { Placement } from './placement.js';
import { MAX_LESSON_MS, type ScheduledLesson } from './timetable.js';
import { NORMALISATION_ERRORS } from './normalisation-error-codes.js';

/**
 * A late arrival: the lesson starts at the record's own start, else the linked lesson's, else its lesson hour's
 * (timetable or bell schedule); the pupil arrives at `arrivedAt`, else at the record's end. Missed: from lesson
 * start to arrival, never negative, never longer than the lesson. A late arrival misses no whole lesson, so
 * `missedLessons` is 0; lateness counts in minutes and occurrences.
 */
export function placeLate(p: Placement, linked: ScheduledLesson | null): Rejection | null {
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
  if (day === null)
    return new Rejection(NORMALISATION_ERRORS.MISSING_FIELD, 'date: neither a date nor a time');
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
