import type { CanonicalRecord, Pupil, ReportFieldValue, Signal } from '#domain';

export interface PerDay {
  readonly date: string;
  /** Lesson hours 1..12 missed that day, ascending; empty when the records name no lesson hours. */
  readonly lessonHours: readonly number[];
  readonly wholeDay: boolean;
}

/** Evidence records grouped per day, with the lesson hours (1..12) they cover. */
export function perDayOf(evidence: readonly CanonicalRecord[]): PerDay[] {
  const days = new Map<string, { hours: Set<number>; wholeDay: boolean }>();
  for (const record of evidence) {
    const day = days.get(record.date) ?? { hours: new Set<number>(), wholeDay: false };
    days.set(record.date, day);
    if (record.wholeDay) day.wholeDay = true;
    const from = record.lessonHourFrom;
    const to = record.lessonHourTo ?? from;
    if (from !== null && to !== null) {
      for (let h = Math.max(1, from); h <= Math.min(12, to); h++) day.hours.add(h);
    }
  }
  return [...days.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([date, d]) => ({ date, lessonHours: [...d.hours].sort((a, b) => a - b), wholeDay: d.wholeDay }));
}

/**
 * The fields (contracts §7 paths) a draft gets from its signal, the evidence records and the registry's
 * facts. Never `pupil.bsn` (read from the registry only when the report is sent), never free text.
 */
export function reportFieldsOf(
  signal: Signal,
  school: string,
  pupil: Pick<Pupil, 'birthDate'>,
  recordsById: ReadonlyMap<string, CanonicalRecord>,
): Record<string, ReportFieldValue> {
  const evidence = signal.evidence
    .map((id) => recordsById.get(id))
    .filter((r): r is CanonicalRecord => r !== undefined);
  const perDay = perDayOf(evidence);
  const vestiging = evidence.find((r) => r.school?.vestiging)?.school?.vestiging ?? null;
  return {
    'absence.kind': signal.reportKind,
    'absence.beginDate': signal.beginDate,
    'absence.endDate': signal.endDate,
    'absence.hours': signal.measured.hours,
    'absence.days': perDay.length,
    'absence.perDay': perDay.map((d) => ({ date: d.date, lessonHours: d.lessonHours })),
    'absence.allLessonsMissed': perDay.length > 0 && perDay.every((d) => d.wholeDay),
    'school.brin': school,
    ...(vestiging ? { 'school.vestiging': vestiging } : {}),
    'pupil.birthDate': pupil.birthDate,
  };
}
