import type { PupilName, RosterFeedProblem, RosterFeedPupil, RosterReader } from '#domain';
import { errorNumber, isErrorRow, normaliseColumn } from './mws-row.js';
import { readTable } from './mws-table.js';
import { isElement, type XmlElement } from './mws-xml.js';
import { ADAPTER_ERRORS, decodeXmlText } from '#adapter-kit';

/** The facts the roster reader takes from a row of the school's pupil list; nothing else of the row is read. */
export const MWS_ROSTER_FIELDS = [
  'localId',
  'roepnaam',
  'voornamen',
  'tussenvoegsel',
  'achternaam',
  'group',
  'mentor',
] as const;
export type MwsRosterField = (typeof MWS_ROSTER_FIELDS)[number];

/**
 * Column names tried per field, compared without case, `_`, `-` or spaces; when a row has several, the earlier
 * candidate wins. The first name is the one problems use. UNCONFIRMED: the shared notes say only that MWS
 * columns are "named by the school's own list" and that the pupil number is `stamnr`; a school whose list uses
 * other names configures them (`createMagisterMwsRosterReader({ columns })`).
 */
export const DEFAULT_ROSTER_COLUMNS: Readonly<Record<MwsRosterField, readonly string[]>> = {
  localId: ['stamnr', 'stamnummer', 'leerlingnummer'],
  roepnaam: ['roepnaam'],
  voornamen: ['voornamen', 'voornaam'],
  tussenvoegsel: ['tussenvoegsel', 'tussenvoegsels', 'tussenv', 'voorvoegsel'],
  achternaam: ['achternaam', 'geslachtsnaam'],
  group: ['stamklas', 'klas', 'stamgroep', 'groep', 'klas_naam'],
  // A list with both usually has the mentor's code in `mentor` and the name in `mentor_naam`: the name wins.
  mentor: ['mentor_naam', 'mentor', 'mentoren'],
};

/** What a field is, for problem details ("stamnr (pupil number) is missing"). */
const MEANING: Readonly<Partial<Record<MwsRosterField, string>>> = { localId: 'pupil number' };

/** A pupil number as the registry takes it (`PUT /v1/pupils/:localId`). */
const LOCAL_ID = /^[A-Za-z0-9._:-]{1,100}$/;

export interface MagisterMwsRosterOptions {
  /**
   * The school's own column name per field, when its MWS pupil list uses one the reader does not know
   * (`{ group: 'basisklas', mentor: 'coach' }`). Replaces the default candidates for that field, and takes
   * precedence over another field's default of the same name.
   */
  readonly columns?: Readonly<Partial<Record<MwsRosterField, string>>>;
}

interface Columns {
  /**
   * Normalised column name → field, its rank (lower wins when a row has several candidates) and the name as
   * configured, which problems use (never the row's own spelling: any number of `_` or `-` would match).
   */
  readonly byName: ReadonlyMap<
    string,
    { readonly field: MwsRosterField; readonly rank: number; readonly column: string }
  >;
  /** Display name per field, for problems about a missing column. */
  readonly names: Readonly<Record<MwsRosterField, string>>;
}

/**
 * Magister Web Services as a roster source (`PUT /v1/schools/:brin/roster/magister-mws`, text/xml; ADR 0019):
 * the school's pupil list (`Response/Result` + `Table/<plural>/<singular>/<column>`) → name, class and mentor
 * per `stamnr`, the pupil number the MWS verantwoordingen carry too. Every other column (address, birth date,
 * e-mail, …) is ignored. Problems name columns and rows, never values: a row holds a child's name.
 */
export function createMagisterMwsRosterReader(options: MagisterMwsRosterOptions = {}): RosterReader {
  const columns = columnsOf(options);
  return {
    system: 'magister-mws',
    format: 'xml',
    read: (payload) => readRoster(payload, columns),
  };
}

/** The roster reader with the default column names. */
export const magisterMwsRosterReader: RosterReader = createMagisterMwsRosterReader();

function columnsOf(options: MagisterMwsRosterOptions): Columns {
  const byName = new Map<string, { field: MwsRosterField; rank: number; column: string }>();
  const names = {} as Record<MwsRosterField, string>;
  // The school's own names first, so that they win over another field's default of the same name.
  for (const field of MWS_ROSTER_FIELDS) {
    const own = options.columns?.[field];
    if (own === undefined) continue;
    const key = normaliseColumn(own);
    if (key === '') throw new Error(`magister-mws roster: columns.${field} is empty`);
    const taken = byName.get(key);
    if (taken !== undefined)
      throw new Error(`magister-mws roster: columns.${field} is also columns.${taken.field}`);
    byName.set(key, { field, rank: 0, column: own });
    names[field] = own;
  }
  for (const field of MWS_ROSTER_FIELDS) {
    if (options.columns?.[field] !== undefined) continue;
    const candidates = DEFAULT_ROSTER_COLUMNS[field];
    names[field] = candidates[0];
    candidates.forEach((column, rank) => {
      const key = normaliseColumn(column);
      if (!byName.has(key)) byName.set(key, { field, rank, column });
    });
  }
  return { byName, names };
}

type RosterRead = ReturnType<RosterReader['read']>;

function readRoster(payload: string, columns: Columns): RosterRead {
  const table = readTable(payload);
  if (!table.ok)
    return {
      pupils: [],
      problems: [{ sourceId: null, reason: ADAPTER_ERRORS.MALFORMED_PAYLOAD, detail: table.detail }],
    };
  const pupils: RosterFeedPupil[] = [];
  const problems: RosterFeedProblem[] = [];
  const seen = new Set<string>();
  table.rows.forEach((row, at) => {
    const where = `row[${at}]`;
    if (!isElement(row)) {
      problems.push({ sourceId: null, reason: ADAPTER_ERRORS.WRONG_TYPE, detail: `${where} has no columns` });
      return;
    }
    if (isErrorRow(row)) {
      const number = errorNumber(row);
      const detail = `${where} is an error row${number === null ? '' : ` (Fout_nummer ${number})`}`;
      problems.push({ sourceId: null, reason: ADAPTER_ERRORS.MALFORMED_PAYLOAD, detail });
      return;
    }
    const outcome = readRow(row, where, columns);
    if ('problem' in outcome) problems.push(outcome.problem);
    // A pupil listed twice (a list with a row per mentor): the first row wins, as SOMtoday's first mentor.
    else if (!seen.has(outcome.pupil.localId)) {
      seen.add(outcome.pupil.localId);
      pupils.push(outcome.pupil);
    }
  });
  return { pupils, problems };
}

function readRow(
  row: XmlElement,
  where: string,
  columns: Columns,
): { readonly pupil: RosterFeedPupil } | { readonly problem: RosterFeedProblem } {
  const cells = new Map<
    MwsRosterField,
    { readonly rank: number; readonly column: string; readonly text: string | null }
  >();
  for (const [name, node] of Object.entries(row)) {
    const column = columns.byName.get(normaliseColumn(name));
    if (column === undefined) continue;
    const held = cells.get(column.field);
    if (held !== undefined && held.rank <= column.rank) continue;
    cells.set(column.field, {
      rank: column.rank,
      column: column.column,
      text: typeof node === 'string' ? decodeXmlText(node).trim() : null,
    });
  }
  /** The column a problem names: the one the row has, else the field's first name. */
  const label = (field: MwsRosterField): string => {
    const meaning = MEANING[field];
    const column = cells.get(field)?.column ?? columns.names[field];
    return `${where}/${column}${meaning === undefined ? '' : ` (${meaning})`}`;
  };

  const id = cells.get('localId');
  if (id === undefined || id.text === '')
    return {
      problem: {
        sourceId: null,
        reason: ADAPTER_ERRORS.MISSING_FIELD,
        detail: `${label('localId')} is missing`,
      },
    };
  if (id.text === null)
    return {
      problem: {
        sourceId: null,
        reason: ADAPTER_ERRORS.WRONG_TYPE,
        detail: `${label('localId')} is not text`,
      },
    };
  if (!LOCAL_ID.test(id.text))
    return {
      problem: {
        sourceId: null,
        reason: ADAPTER_ERRORS.WRONG_TYPE,
        detail: `${label('localId')} is not letters, digits and . _ : - (1–100)`,
      },
    };
  const localId = id.text;

  const texts = {} as Record<MwsRosterField, string | null>;
  for (const field of MWS_ROSTER_FIELDS) {
    const cell = cells.get(field);
    if (cell === undefined || cell.text === '') {
      texts[field] = null;
      continue;
    }
    if (cell.text === null)
      return {
        problem: {
          sourceId: localId,
          reason: ADAPTER_ERRORS.WRONG_TYPE,
          detail: `${label(field)} is not text`,
        },
      };
    texts[field] = cell.text;
  }
  const name: PupilName | null =
    texts.achternaam === null
      ? null
      : {
          ...optional('roepnaam', texts.roepnaam),
          ...optional('voornamen', texts.voornamen),
          ...optional('tussenvoegsel', texts.tussenvoegsel),
          achternaam: texts.achternaam,
        };
  return { pupil: { localId, entry: { name, group: texts.group, mentor: texts.mentor } } };
}

function optional<K extends string>(key: K, value: string | null): Partial<Record<K, string>> {
  return value === null ? {} : ({ [key]: value } as Record<K, string>);
}
