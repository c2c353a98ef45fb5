import type { GenericKind, RegisteredVia } from '#domain';

/**
 * The ketenpoort generic CSV format (README.md is the specification; keep the two in step).
 * Header names are matched case-insensitively after trimming; unknown columns are ignored.
 */
export const COLUMNS = {
  pupilId: 'pupil_id',
  leerlingnummer: 'leerlingnummer',
  brin: 'brin',
  vestiging: 'vestiging',
  date: 'date',
  dayPart: 'day_part',
  lessonHour: 'lesson_hour',
  lessonHourTo: 'lesson_hour_to',
  start: 'start',
  end: 'end',
  kind: 'kind',
  reasonCode: 'reason_code',
  authorised: 'authorised',
  registeredVia: 'registered_via',
  arrivedAt: 'arrived_at',
  recordId: 'record_id',
  explainedBy: 'explained_by',
} as const;

/** Columns the header must have; a row must give them a value. */
export const REQUIRED_COLUMNS: readonly string[] = [
  COLUMNS.pupilId,
  COLUMNS.date,
  COLUMNS.kind,
  COLUMNS.registeredVia,
];

/**
 * Columns that would carry a persoonsgebonden nummer. The format has no place for one: such a column is never
 * read and never kept in a quarantined raw.
 */
export const PGN_COLUMNS: ReadonlySet<string> = new Set([
  'bsn',
  'burgerservicenummer',
  'onderwijsnummer',
  'pgn',
]);

export const KINDS: Readonly<Record<string, GenericKind>> = {
  absent: 'ABSENT',
  late: 'LATE',
  sick: 'SICK',
  sent_out: 'SENT_OUT',
  present: 'PRESENT',
  exemption: 'EXEMPTION',
};

export const REGISTERED_VIA: Readonly<Record<string, RegisteredVia>> = {
  report: 'REPORT',
  teacher_check: 'TEACHER_CHECK',
  call_back: 'CALL_BACK',
};

export const DAY_PARTS = ['ochtend', 'middag'] as const;
export type DayPart = (typeof DAY_PARTS)[number];

/**
 * `sourceRecordType` of the records this adapter makes. A day-part row names its part in the type because
 * SourceRecord has no field for it (README, "Day parts").
 */
export const CSV_RECORD_TYPES = {
  ochtend: 'dagdeel-ochtend',
  middag: 'dagdeel-middag',
  other: 'registratie',
} as const;

/** Highest lesson hour accepted (the contract's per-day lesson hours run 1..12; some schools have a 0th hour). */
export const MAX_LESSON_HOUR = 15;
