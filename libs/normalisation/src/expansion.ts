// Expansion: whole days and spans crossing midnight, one record per lesson (or per day) of each day.
import { startOfLocalDay, weekdayOfDay } from './amsterdam-time.js';
import type { Placement } from './placement.js';

/**
 * Whole days (clip null) or a timed span crossing midnight (clipped to its start and end): one record per
 * scheduled lesson on each day when the pupil's timetable or the bell schedule knows the day; otherwise one
 * record per day (whole days without times; the part of a timed span with its times, minutes unknown). Days the
 * timetable shows free give no record, nor do weekend days of a span of whole days that no timetable knows
 * (school weeks run Monday to Friday). A record none of whose days gives one still yields a single record, so
 * nothing is lost: missed nothing when every day was known, unknown otherwise.
 */
export function expand(
  p: Placement,
  firstDay: number,
  lastDay: number,
  clip: { startMs: number; endMs: number } | null,
): void {
  const before = p.drafts.size;
  const multiDay = lastDay > firstDay;
  let unknownSkipped = false;
  for (let day = firstDay; day <= lastDay; day++) {
    const dayStart = startOfLocalDay(day);
    const dayEnd = startOfLocalDay(day + 1);
    const ws = clip === null ? dayStart : Math.max(clip.startMs, dayStart);
    const we = clip === null ? dayEnd : Math.min(clip.endMs, dayEnd);
    if (we <= ws) continue;
    const full = ws === dayStart && we === dayEnd;
    const plan = p.timetable.plan(p.record.pupil.localId, day, true);
    if (plan.kind === 'lessons') {
      for (const lesson of plan.lessons) {
        const s = Math.max(lesson.startMs, ws);
        const e = Math.min(lesson.endMs, we);
        if (e <= s) continue;
        p.add({
          recordId: p.expandedId(day, lesson.lessonId),
          day,
          startMs: s,
          endMs: e,
          wholeDay: full,
          lessonHourFrom: lesson.lessonHour,
          lessonHourTo: lesson.lessonHour,
          missedMs: Math.min(e - s, lesson.durationMs),
          missedLessons: 1,
          cancelled: lesson.cancelled,
        });
      }
      continue;
    }
    if (plan.kind === 'free') continue;
    const weekday = weekdayOfDay(day);
    if (clip === null && multiDay && (weekday === 0 || weekday === 6)) {
      unknownSkipped = true;
      continue;
    }
    p.add({
      recordId: multiDay ? p.expandedId(day) : p.id,
      day,
      startMs: full ? null : ws,
      endMs: full ? null : we,
      wholeDay: full,
      lessonHourFrom: full ? null : p.hourFrom,
      lessonHourTo: full ? null : p.hourTo,
      missedMs: null,
      missedLessons: null,
    });
  }
  if (p.drafts.size > before) return;
  p.add({
    recordId: p.id,
    day: firstDay,
    startMs: clip === null ? null : clip.startMs,
    endMs: clip === null ? null : clip.endMs,
    wholeDay: clip === null,
    lessonHourFrom: null,
    lessonHourTo: null,
    missedMs: unknownSkipped ? null : 0,
    missedLessons: unknownSkipped ? null : 0,
  });
}
