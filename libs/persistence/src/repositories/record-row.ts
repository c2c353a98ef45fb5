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

/**
 * How a reader selects a column, where the column's own text would cost more to write and to read back: the date
 * as days since 1970-01-01 (no `to_char`, no DateStyle), an instant as whole seconds since the epoch (the stored
 * instants have no fraction: `storedStamp` keeps only `…T09:20:00+01:00`).
 */
const READ_AS: Partial<Record<(typeof RECORD_COLUMNS)[number], string>> = {
  date: `date - DATE '1970-01-01'`,
  start_at: `extract(epoch FROM start_at)::int8`,
  end_at: `extract(epoch FROM end_at)::int8`,
};

/** The values a reader selects to rebuild a record (`RecordReader`), in `RECORD_COLUMNS` order. */
export function recordSelect(): string {
  return RECORD_COLUMNS.map((c) => READ_AS[c] ?? c).join(', ');
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

/**
 * A row of `recordSelect()` as the server writes it: one text (or null) per column of `RECORD_COLUMNS`, unparsed
 * (`queryValues`). Read positionally and unparsed because the driver's own parse — a `Date` and a property per
 * column — cost more than the rest of the signals' read (issue 18: 418,000 rows of a one-day increment).
 */
export type RecordValues = readonly (string | null)[];

const AT = Object.fromEntries(RECORD_COLUMNS.map((c, i) => [c, i])) as Record<
  (typeof RECORD_COLUMNS)[number],
  number
>;
const DAY_MS = 86_400_000;

/**
 * Turns rows of `recordSelect()` back into records. One per read: it remembers the text of each day number it met
 * (a read of a school's pupils meets the same two hundred school days again and again).
 */
export class RecordReader {
  private readonly days = new Map<string, string>();

  /** The record a row holds; a stored code that no value has is refused, not guessed. */
  read(v: RecordValues): CanonicalRecord {
    const hasSchool = v[AT.has_school] === 't';
    let school: { brin?: string; vestiging?: string } | null = null;
    if (hasSchool) {
      school = {};
      const brin = v[AT.school_brin];
      const vestiging = v[AT.vestiging];
      if (brin !== null) school.brin = brin;
      if (vestiging !== null) school.vestiging = vestiging;
    }
    const localId = v[AT.pupil_local_id] as string;
    const leerlingnummer = v[AT.leerlingnummer];
    const mappingSource = decode(MAPPING_SOURCE_CODES, v[AT.mapping_source], 'mapping_source');
    const mappingVersion = v[AT.mapping_version];
    return {
      recordId: v[AT.record_id] as string,
      sourceSystem: v[AT.source_system] as CanonicalRecord['sourceSystem'],
      sourceRecordType: v[AT.source_record_type] as string,
      sourceId: v[AT.source_id] as string,
      pupil: leerlingnummer === null ? { localId } : { localId, leerlingnummer },
      school,
      date: this.dateOf(v[AT.date] as string),
      start: stampOf(v[AT.start_at], v[AT.start_offset], v[AT.start_text]),
      end: stampOf(v[AT.end_at], v[AT.end_offset], v[AT.end_text]),
      wholeDay: v[AT.whole_day] === 't',
      lessonHourFrom: numberOf(v[AT.lesson_hour_from]),
      lessonHourTo: numberOf(v[AT.lesson_hour_to]),
      category: decode(CATEGORY_CODES, v[AT.category], 'category'),
      legalClass: decode(LEGAL_CLASS_CODES, v[AT.legal_class], 'legal_class'),
      registeredVia: decode(REGISTERED_VIA_CODES, v[AT.registered_via], 'registered_via'),
      missedMinutes: numberOf(v[AT.missed_minutes]),
      missedLessons: numberOf(v[AT.missed_lessons]),
      reasonCode: v[AT.reason_code],
      explainedBy: v[AT.explained_by],
      mapping:
        mappingVersion === null
          ? { source: mappingSource }
          : { source: mappingSource, version: mappingVersion },
    };
  }

  private dateOf(days: string): string {
    let text = this.days.get(days);
    if (text === undefined) {
      text = new Date(Number(days) * DAY_MS).toISOString().slice(0, 10);
      this.days.set(days, text);
    }
    return text;
  }
}

function stampOf(epochSeconds: string | null, offset: string | null, text: string | null): string | null {
  if (text !== null) return text;
  if (epochSeconds === null) return null;
  return stampText(Number(epochSeconds) * 1000, Number(offset ?? 0));
}

function numberOf(text: string | null): number | null {
  return text === null ? null : Number(text);
}

/** The code of a value of a closed set; a value without a code is a programming error (a spec guards it). */
function encode<T>(codes: readonly T[], value: T, what: string): number {
  const code = codes.indexOf(value);
  if (code < 0) throw new Error(`${what}: no stored code for ${String(value)}`);
  return code;
}

function decode<T>(codes: readonly T[], code: string | null, what: string): T {
  const value = code === null ? undefined : codes[Number(code)];
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
