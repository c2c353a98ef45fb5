import type { CanonicalRecord, Pupil, ReportFieldValue, Signal } from '#domain';

export interface PerDay {
  readonly date: string;
  /** Lesson hours 1..12 missed that day, ascending; empty when the records name no lesson hours. */
  readonly lessonHours: readonly number[];
  readonly wholeDay: boolean;
  /** A primary school's day parts (csv `dagdeel-ochtend` / `dagdeel-middag`), when the records name them. */
  readonly dayParts?: readonly DayPart[];
}

export type DayPart = 'ochtend' | 'middag';
const DAY_PART_OF: Readonly<Record<string, DayPart>> = {
  'dagdeel-ochtend': 'ochtend',
  'dagdeel-middag': 'middag',
};

/** Evidence records grouped per day, with the lesson hours (1..12) and the day parts they cover. */
export function perDayOf(evidence: readonly CanonicalRecord[]): PerDay[] {
  const days = new Map<string, { hours: Set<number>; wholeDay: boolean; parts: Set<DayPart> }>();
  for (const record of evidence) {
    const day = days.get(record.date) ?? {
      hours: new Set<number>(),
      wholeDay: false,
      parts: new Set<DayPart>(),
    };
    days.set(record.date, day);
    if (record.wholeDay) day.wholeDay = true;
    const part = DAY_PART_OF[record.sourceRecordType];
    if (part) day.parts.add(part);
    const from = record.lessonHourFrom;
    const to = record.lessonHourTo ?? from;
    if (from !== null && to !== null) {
      for (let h = Math.max(1, from); h <= Math.min(12, to); h++) day.hours.add(h);
    }
  }
  return [...days.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([date, d]) => ({
      date,
      lessonHours: [...d.hours].sort((a, b) => a - b),
      wholeDay: d.wholeDay,
      ...(d.parts.size > 0
        ? { dayParts: (['ochtend', 'middag'] as const).filter((p) => d.parts.has(p)) }
        : {}),
    }));
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
    // Klokuren beside the lesuren: the officer reads both (issue 14); DUO's profile takes the hours only.
    'absence.clockMinutes': Math.max(0, Math.round(signal.measured.unauthorisedMinutes)),
    'absence.days': perDay.length,
    // Per day DUO takes a whole day or lesson hours; a primary school's day parts become lesson hours in the
    // DUO profile. Both are only present when true / known, so the shape of other days stays as it was.
    'absence.perDay': perDay.map((d) => ({
      date: d.date,
      lessonHours: d.lessonHours,
      ...(d.wholeDay ? { wholeDay: true } : {}),
      ...(d.dayParts ? { dayParts: d.dayParts } : {}),
    })),
    'absence.allLessonsMissed': perDay.length > 0 && perDay.every((d) => d.wholeDay),
    'school.brin': school,
    ...(vestiging ? { 'school.vestiging': vestiging } : {}),
    'pupil.birthDate': pupil.birthDate,
  };
}
