// The CSV form of an EduArte export: one entity per file, columns named after the domain model's fields,
// dotted for nesting (`absentieReden.geoorloofd`). A row is read through the same Fields interface as a JSON
// item, so both go through one mapping. Cells stay strings except flags and lesson hours; a cell that does not
// convert stays a string, so the mapping reports it as a wrong type.
import { parse } from 'csv-parse/sync';
import { Fields } from '#adapter-kit';

export type ExportKind = 'absentieMeldingen' | 'waarnemingen';

/** The columns each export must have; empty cells are fine where the field is nullable. Others are ignored. */
export const REQUIRED_COLUMNS: Readonly<Record<ExportKind, readonly string[]>> = {
  absentieMeldingen: [
    'id',
    'deelnemer.deelnemernummer',
    'absentieReden.afkorting',
    'absentieReden.absentieSoort',
    'absentieReden.geoorloofd',
    'beginDatumTijd',
    'eindDatumTijd',
    'beginLesuur',
    'eindLesuur',
  ],
  waarnemingen: [
    'id',
    'deelnemer.deelnemernummer',
    'waarnemingSoort',
    'beginDatumTijd',
    'eindDatumTijd',
    'beginLesuur',
    'eindLesuur',
    'absentieMelding',
  ],
};

const KNOWN = new Set([...REQUIRED_COLUMNS.absentieMeldingen, ...REQUIRED_COLUMNS.waarnemingen]);
const FLAGS = new Set(['absentieReden.geoorloofd']);
const LESSON_HOURS = new Set(['beginLesuur', 'eindLesuur']);

export interface CsvExport {
  readonly kind: ExportKind;
  readonly header: readonly string[];
  /** Column name → cell index. */
  readonly columns: ReadonlyMap<string, number>;
  readonly rows: readonly (readonly string[])[];
}

/** Reads the CSV, or says (naming no values) why it cannot be read at all. */
export function readCsv(payload: string): CsvExport | string {
  let table: string[][];
  try {
    table = parse(payload, {
      bom: true,
      delimiter: delimiterOf(payload),
      relax_column_count: true,
      skip_empty_lines: true,
      trim: true,
    });
  } catch (error) {
    const code =
      typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : 'unknown';
    return `CSV: cannot be read (${code})`;
  }
  const [header, ...rows] = table;
  if (header === undefined) return 'CSV: no header';
  if (!header.some((column) => KNOWN.has(column))) {
    return 'CSV header: not an EduArte export (no known column)';
  }
  const columns = new Map(header.map((column, i) => [column, i]));
  return {
    kind: columns.has('waarnemingSoort') ? 'waarnemingen' : 'absentieMeldingen',
    header,
    columns,
    rows,
  };
}

/** One CSV row read by column name (`absentieReden.geoorloofd`), as the JSON export's nested path. */
export class CsvRowFields extends Fields {
  constructor(
    private readonly columns: ReadonlyMap<string, number>,
    private readonly cells: readonly string[],
  ) {
    super();
  }

  protected lookup(path: string): unknown {
    const i = this.columns.get(path);
    return i === undefined ? undefined : cellValue(path, this.cells[i] ?? '');
  }
}

/** The row as kept in quarantine: every cell under its column name, or the cells when they do not fit. */
export function rowRaw(header: readonly string[], cells: readonly string[]): unknown {
  if (cells.length !== header.length) return [...cells];
  return Object.fromEntries(header.map((column, i) => [column, cells[i]]));
}

function cellValue(column: string, text: string): unknown {
  if (text === '') return null;
  if (FLAGS.has(column)) {
    const lower = text.toLowerCase();
    return lower === 'true' ? true : lower === 'false' ? false : text;
  }
  if (LESSON_HOURS.has(column) && /^\d+$/.test(text)) return Number(text);
  return text;
}

/** Comma by default; a header line with more semicolons (Dutch spreadsheet exports) or tabs picks those. */
function delimiterOf(payload: string): string {
  const end = payload.indexOf('\n');
  const headerLine = payload.slice(0, end === -1 ? Math.min(payload.length, 4096) : Math.min(end, 4096));
  const count = (c: string): number => headerLine.split(c).length - 1;
  return [',', ';', '\t'].reduce((best, c) => (count(c) > count(best) ? c : best));
}
