import type { CanonicalRecord, Category, LegalClass, RegisteredVia } from '#domain';

// A canonical record (contracts §2) as a typed row of `canonical_record` (ADR 0033): no JSON copy; small codes for
// the closed sets; date-times as instants with the offset they were written in. What is read back is the record
// that was stored, field for field (a property test says so).

/**
 * The stored codes of the closed sets: a value's position. Append only — a stored row's code keeps its meaning
 * for ever, so these lists are the store's own and not `#domain`'s (whose order may change); a spec checks that
 * every value of `#domain` has a code.
 */
export const CATEGORY_CODES: readonly Category[] = [
  'PRESENT',
  'SICK',
  'MEDICAL_VISIT',
  'LEAVE_IMPORTANT_CIRCUMSTANCES',
  'LEAVE_RELIGIOUS',
  'LEAVE_HOLIDAY',
  'LEAVE_UNDER_SIX',
  'LEAVE_HEAD_GRANTED',
  'SCHOOL_SENT_OUT',
  'SCHOOL_SUSPENSION',
  'SCHOOL_EXPULSION',
  'LATE_AUTHORISED',
  'UNAUTHORISED',
  'LATE_UNAUTHORISED',
  'OTHER',
  'UNEXPLAINED',
  'TIMETABLE_ADJUSTMENT',
];
export const LEGAL_CLASS_CODES: readonly LegalClass[] = [
  'present',
  'authorised',
  'unauthorised',
  'pending',
  'not_absence',
];
export const REGISTERED_VIA_CODES: readonly RegisteredVia[] = [
  'REPORT',
  'TEACHER_CHECK',
  'CALL_BACK',
  'AGGREGATE',
];
export const MAPPING_SOURCE_CODES: readonly CanonicalRecord['mapping']['source'][] = ['school', 'fallback'];

/** The typed columns of a record, in the order the bulk writer stages them (after its own key columns). */
export const RECORD_COLUMNS = [
  'record_id',
  'source_id',
  'source_system',
  'source_record_type',
  'pupil_local_id',
  'leerlingnummer',
  'has_school',
  'school_brin',
  'vestiging',
  'date',
  'start_at',
  'start_offset',
  'start_text',
  'end_at',
  'end_offset',
  'end_text',
  'whole_day',
  'lesson_hour_from',
  'lesson_hour_to',
  'category',
  'legal_class',
  'registered_via',
  'missed_minutes',
  'missed_lessons',
  'reason_code',
  'explained_by',
  'mapping_source',
  'mapping_version',
] as const;

/** SQL types of `RECORD_COLUMNS`, in the same order. */
export const RECORD_COLUMN_TYPES: Readonly<Record<(typeof RECORD_COLUMNS)[number], string>> = {
  record_id: 'text',
  source_id: 'text',
  source_system: 'text',
  source_record_type: 'text',
  pupil_local_id: 'text',
  leerlingnummer: 'text',
  has_school: 'boolean',
  school_brin: 'text',
  vestiging: 'text',
  date: 'date',
  start_at: 'timestamptz',
  start_offset: 'smallint',
  start_text: 'text',
  end_at: 'timestamptz',
  end_offset: 'smallint',
  end_text: 'text',
  whole_day: 'boolean',
  lesson_hour_from: 'smallint',
  lesson_hour_to: 'smallint',
  category: 'smallint',
  legal_class: 'smallint',
  registered_via: 'smallint',
  missed_minutes: 'double precision',
  missed_lessons: 'double precision',
  reason_code: 'text',
  explained_by: 'text',
  mapping_source: 'smallint',
  mapping_version: 'text',
};

/** The columns a reader selects to rebuild a record (`recordOfRow`). */
export function recordSelect(): string {
  return RECORD_COLUMNS.map((c) => (c === 'date' ? `to_char(date, 'YYYY-MM-DD') AS date` : c)).join(', ');
}

/** A record's date-time as stored: the instant and the offset it was written with, or the text itself. */
export interface StoredStamp {
  /** ISO 8601 in UTC, for a `timestamptz`; null when the text is kept instead. */
  readonly at: string | null;
  /** Minutes east of UTC the text was written in. */
  readonly offset: number | null;
  /** The text as given, only when the instant and offset would not write it back the same. */
  readonly text: string | null;
}

const STAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}([+-])(\d{2}):(\d{2})$/;
const NO_STAMP: StoredStamp = { at: null, offset: null, text: null };

/** Splits `2026-01-13T09:20:00+01:00` into its instant and offset; any other notation is kept as text. */
export function storedStamp(text: string | null): StoredStamp {
  if (text === null) return NO_STAMP;
  const m = STAMP.exec(text);
  const ms = m === null ? Number.NaN : Date.parse(text);
  if (m !== null && Number.isFinite(ms)) {
    const offset = (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
    // Written back exactly or not at all (a 30 February, a year beyond 9999, `-00:00`).
    if (Math.abs(offset) < 24 * 60 && stampText(ms, offset) === text) {
      return { at: new Date(ms).toISOString(), offset, text: null };
    }
  }
  return { at: null, offset: null, text };
}

/** The text of an instant in the offset it was written with: `2026-01-13T09:20:00+01:00`. */
export function stampText(ms: number, offset: number): string {
  const local = new Date(ms + offset * 60_000).toISOString().slice(0, 19);
  const abs = Math.abs(offset);
  const sign = offset < 0 ? '-' : '+';
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/** A row of `recordSelect()` as the pg driver returns it. */
export interface RecordRow {
  readonly record_id: string;
  readonly source_id: string | null;
  readonly source_system: string;
  readonly source_record_type: string;
  readonly pupil_local_id: string;
  readonly leerlingnummer: string | null;
  readonly has_school: boolean;
  readonly school_brin: string | null;
  readonly vestiging: string | null;
  readonly date: string;
  readonly start_at: Date | null;
  readonly start_offset: number | null;
  readonly start_text: string | null;
  readonly end_at: Date | null;
  readonly end_offset: number | null;
  readonly end_text: string | null;
  readonly whole_day: boolean;
  readonly lesson_hour_from: number | null;
  readonly lesson_hour_to: number | null;
  readonly category: number;
  readonly legal_class: number;
  readonly registered_via: number;
  readonly missed_minutes: number | null;
  readonly missed_lessons: number | null;
  readonly reason_code: string | null;
  readonly explained_by: string | null;
  readonly mapping_source: number;
  readonly mapping_version: string | null;
}

/** The record a typed row holds. */
export function recordOfRow(row: RecordRow): CanonicalRecord {
  let school: { brin?: string; vestiging?: string } | null = null;
  if (row.has_school) {
    school = {};
    if (row.school_brin !== null) school.brin = row.school_brin;
    if (row.vestiging !== null) school.vestiging = row.vestiging;
  }
  return {
    recordId: row.record_id,
    sourceSystem: row.source_system as CanonicalRecord['sourceSystem'],
    sourceRecordType: row.source_record_type,
    sourceId: row.source_id as string,
    pupil:
      row.leerlingnummer === null
        ? { localId: row.pupil_local_id }
        : { localId: row.pupil_local_id, leerlingnummer: row.leerlingnummer },
    school,
    date: row.date,
    start: stampOfRow(row.start_at, row.start_offset, row.start_text),
    end: stampOfRow(row.end_at, row.end_offset, row.end_text),
    wholeDay: row.whole_day,
    lessonHourFrom: row.lesson_hour_from,
    lessonHourTo: row.lesson_hour_to,
    category: decode(CATEGORY_CODES, row.category, 'category'),
    legalClass: decode(LEGAL_CLASS_CODES, row.legal_class, 'legal_class'),
    registeredVia: decode(REGISTERED_VIA_CODES, row.registered_via, 'registered_via'),
    missedMinutes: row.missed_minutes,
    missedLessons: row.missed_lessons,
    reasonCode: row.reason_code,
    explainedBy: row.explained_by,
    mapping:
      row.mapping_version === null
        ? { source: decode(MAPPING_SOURCE_CODES, row.mapping_source, 'mapping_source') }
        : {
            source: decode(MAPPING_SOURCE_CODES, row.mapping_source, 'mapping_source'),
            version: row.mapping_version,
          },
  };
}

function stampOfRow(at: Date | null, offset: number | null, text: string | null): string | null {
  if (text !== null) return text;
  if (at === null) return null;
  return stampText(at.getTime(), offset ?? 0);
}

/** The code of a value of a closed set; a value without a code is a programming error (a spec guards it). */
function encode<T>(codes: readonly T[], value: T, what: string): number {
  const code = codes.indexOf(value);
  if (code < 0) throw new Error(`${what}: no stored code for ${String(value)}`);
  return code;
}

function decode<T>(codes: readonly T[], code: number, what: string): T {
  const value = codes[code];
  if (value === undefined) throw new Error(`${what}: unknown stored code ${code}`);
  return value;
}

/**
 * The record's typed columns as text for COPY or the multi-row INSERT (null for SQL NULL), in `RECORD_COLUMNS`
 * order.
 */
export function recordFields(record: CanonicalRecord): (string | null)[] {
  const start = storedStamp(record.start);
  const end = storedStamp(record.end);
  const school = record.school ?? null;
  return [
    record.recordId,
    record.sourceId,
    record.sourceSystem,
    record.sourceRecordType,
    record.pupil.localId,
    record.pupil.leerlingnummer ?? null,
    school === null ? 'f' : 't',
    school?.brin ?? null,
    school?.vestiging ?? null,
    record.date,
    start.at,
    start.offset === null ? null : String(start.offset),
    start.text,
    end.at,
    end.offset === null ? null : String(end.offset),
    end.text,
    record.wholeDay ? 't' : 'f',
    record.lessonHourFrom === null ? null : String(record.lessonHourFrom),
    record.lessonHourTo === null ? null : String(record.lessonHourTo),
    String(encode(CATEGORY_CODES, record.category, 'category')),
    String(encode(LEGAL_CLASS_CODES, record.legalClass, 'legalClass')),
    String(encode(REGISTERED_VIA_CODES, record.registeredVia, 'registeredVia')),
    record.missedMinutes === null ? null : String(record.missedMinutes),
    record.missedLessons === null ? null : String(record.missedLessons),
    record.reasonCode,
    record.explainedBy,
    String(encode(MAPPING_SOURCE_CODES, record.mapping.source, 'mapping.source')),
    record.mapping.version ?? null,
  ];
}
