import type { GenericKind, QuarantineReason, SourceRecord } from '#domain';
import { momentDate } from './mws-moment.js';
import { type XmlElement } from './mws-xml.js';
import { ADAPTER_ERRORS, decodeXmlText } from '#adapter-kit';

/** The facts the adapter reads from a row; the school's MWS list names the columns. */
export const MWS_FIELDS = [
  'id',
  'pupil',
  'moment',
  'lessonHour',
  'lessonRef',
  'code',
  'authorised',
  'type',
] as const;
export type MwsField = (typeof MWS_FIELDS)[number];

/**
 * Column names tried per field, first match wins; compared without case, `_`, `-` or spaces. The first name
 * is the one used in quarantine details.
 */
export const DEFAULT_COLUMNS: Readonly<Record<MwsField, readonly string[]>> = {
  id: ['verantwoording_id', 'absentie_id', 'id'],
  pupil: ['stamnummer', 'stamnr', 'leerlingnummer'],
  moment: ['moment', 'datum', 'datumtijd', 'begin'],
  lessonHour: ['lesuur', 'uur'],
  lessonRef: ['agendaitem_id', 'afspraak_id'],
  code: ['aanwezigheidsreden_code', 'reden_code', 'verantwoording_code', 'code'],
  authorised: ['aanwezigheidsreden_geoorloofd', 'geoorloofd'],
  type: [
    'verantwoordingtype',
    'aanwezigheidsreden_verantwoordingtype',
    'aanwezigheidsreden_type',
    'verantwoordingtype_omschrijving',
    'absentiesoort',
  ],
};

/** Verantwoordingtype (number or name) → generic kind (categories.md §3); 5 and others are unknown. */
const KIND_BY_TYPE: ReadonlyMap<string, GenericKind> = new Map<string, GenericKind>([
  ['1', 'ABSENT'],
  ['absent', 'ABSENT'],
  ['afwezig', 'ABSENT'],
  ['2', 'LATE'],
  ['telaat', 'LATE'],
  ['3', 'SICK'],
  ['ziek', 'SICK'],
  ['4', 'SENT_OUT'],
  ['uitdeles', 'SENT_OUT'],
  ['verwijderd', 'SENT_OUT'],
  ['6', 'EXEMPTION'],
  ['vrijstelling', 'EXEMPTION'],
  ['7', 'NOT_ATTENDANCE'],
  ['boekvergeten', 'NOT_ATTENDANCE'],
  ['8', 'NOT_ATTENDANCE'],
  ['huiswerkvergeten', 'NOT_ATTENDANCE'],
]);

const TRUE_TEXT: ReadonlySet<string> = new Set(['1', '-1', 'true', 'ja', 'j']);
const FALSE_TEXT: ReadonlySet<string> = new Set(['0', 'false', 'nee', 'n']);

export type RowOutcome =
  | { readonly ok: true; readonly record: SourceRecord }
  | { readonly ok: false; readonly reason: QuarantineReason; readonly detail: string };

/** How a configured adapter reads rows: the columns to look for, and the school's reason list. */
export interface RowReader {
  /** Normalised column name → field and its rank (lower wins when a row has several candidates). */
  readonly columns: ReadonlyMap<string, { readonly field: MwsField; readonly rank: number }>;
  /** Display name per field, for details. */
  readonly names: Readonly<Record<MwsField, string>>;
  /** Reason code → Verantwoordingtype, for lists without a type column. */
  readonly reasonTypes: ReadonlyMap<string, string>;
}

export function normaliseColumn(name: string): string {
  return name.toLowerCase().replace(/[\s_-]/g, '');
}

export function normaliseTypeName(text: string): string {
  return text.toLowerCase().replace(/[\s_-]/g, '');
}

/** The error number of an MWS error row or response, when it is a plain number. */
export function errorNumber(element: XmlElement): string | null {
  for (const [name, node] of Object.entries(element)) {
    if (normaliseColumn(name) === 'foutnummer' && typeof node === 'string' && /^-?\d{1,10}$/.test(node)) {
      return node;
    }
  }
  return null;
}

export function isErrorRow(row: XmlElement): boolean {
  return Object.keys(row).some((name) => {
    const key = normaliseColumn(name);
    return key === 'foutnummer' || key === 'foutomschrijving';
  });
}

/** One row of the school's verantwoordingen list → a source record, or why it is quarantined. */
export function rowToRecord(row: XmlElement, reader: RowReader): RowOutcome {
  const cells = new Map<MwsField, { readonly rank: number; readonly text: string | null }>();
  for (const [name, node] of Object.entries(row)) {
    const column = reader.columns.get(normaliseColumn(name));
    if (column === undefined) continue;
    const held = cells.get(column.field);
    if (held !== undefined && held.rank <= column.rank) continue;
    cells.set(column.field, {
      rank: column.rank,
      text: typeof node === 'string' ? decodeXmlText(node).trim() : null,
    });
  }
  const name = reader.names;
  /** A cell's text: '' when missing or empty, null when it is not text (nested or repeated). */
  const text = (field: MwsField): string | null => {
    const cell = cells.get(field);
    return cell === undefined ? '' : cell.text;
  };
  const fail = (reason: QuarantineReason, detail: string): RowOutcome => ({ ok: false, reason, detail });
  const notText = (field: MwsField): RowOutcome =>
    fail(ADAPTER_ERRORS.WRONG_TYPE, `${name[field]} is not a text value`);

  const id = text('id');
  if (id === null) return notText('id');
  if (id === '') return fail(ADAPTER_ERRORS.MISSING_FIELD, `${name.id} is missing`);
  const pupil = text('pupil');
  if (pupil === null) return notText('pupil');
  if (pupil === '') return fail(ADAPTER_ERRORS.MISSING_FIELD, `${name.pupil} (pupil) is missing`);
  const moment = text('moment');
  if (moment === null) return notText('moment');
  if (moment === '') return fail(ADAPTER_ERRORS.MISSING_FIELD, `${name.moment} is missing`);
  const date = momentDate(moment);
  if (!date.ok) {
    return date.reason === ADAPTER_ERRORS.WRONG_TYPE
      ? fail(ADAPTER_ERRORS.WRONG_TYPE, `${name.moment} is not an ISO 8601 date or timestamp`)
      : fail(ADAPTER_ERRORS.IMPOSSIBLE_TIME, `${name.moment} is not a possible date and time`);
  }
  const hour = text('lessonHour');
  if (hour === null) return notText('lessonHour');
  if (hour !== '' && !/^\d{1,2}$/.test(hour))
    return fail(ADAPTER_ERRORS.WRONG_TYPE, `${name.lessonHour} is not an integer`);
  const lessonRef = text('lessonRef');
  if (lessonRef === null) return notText('lessonRef');
  const authorisedText = text('authorised');
  if (authorisedText === null) return notText('authorised');
  const flag = authorisedText.toLowerCase();
  if (flag !== '' && !TRUE_TEXT.has(flag) && !FALSE_TEXT.has(flag)) {
    return fail(ADAPTER_ERRORS.WRONG_TYPE, `${name.authorised} is not a yes/no value`);
  }
  const code = text('code');
  if (code === null) return notText('code');
  const type = text('type');
  if (type === null) return notText('type');

  let kind: GenericKind | undefined;
  if (type !== '') {
    kind = KIND_BY_TYPE.get(normaliseTypeName(type));
    if (kind === undefined) {
      return fail(
        ADAPTER_ERRORS.UNKNOWN_KIND,
        `${name.type} is not one of 1, 2, 3, 4, 6, 7, 8 or their names`,
      );
    }
  } else {
    const configured = code === '' ? undefined : reader.reasonTypes.get(code);
    kind = configured === undefined ? undefined : KIND_BY_TYPE.get(configured);
    if (kind === undefined) {
      return fail(
        ADAPTER_ERRORS.UNKNOWN_KIND,
        `no ${name.type} column, and ${name.code} has no known Verantwoordingtype in the adapter's reasonTypes`,
      );
    }
  }

  const lessonHour = hour === '' ? null : Number(hour);
  const ref = lessonRef === '' || lessonRef === '0' ? null : lessonRef;
  return {
    ok: true,
    record: {
      sourceSystem: 'magister-mws',
      sourceRecordType: 'verantwoording',
      sourceId: id,
      pupil: { localId: pupil, leerlingnummer: pupil },
      school: null,
      via: 'REPORT',
      kind,
      authorisedFlag: flag === '' ? null : TRUE_TEXT.has(flag),
      reasonCode: code === '' ? null : code,
      date: date.date,
      start: null,
      end: null,
      endInclusive: false,
      lessonHourFrom: lessonHour,
      lessonHourTo: lessonHour,
      wholeDay: lessonHour === null && ref === null,
      arrivedAt: null,
      lessonRef: ref,
      lesson: null,
      explainedByRef: null,
      aggregate: null,
    },
  };
}
