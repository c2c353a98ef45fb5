import type { AdapterOutput, QuarantinedInput, SourceAdapter, SourceRecord } from '#domain';
import {
  DEFAULT_COLUMNS,
  errorNumber,
  isErrorRow,
  MWS_FIELDS,
  normaliseColumn,
  normaliseTypeName,
  rowToRecord,
  type MwsField,
  type RowReader,
} from './mws-row.js';
import { readTable } from './mws-table.js';
import { ADAPTER_ERRORS, payloadRejected, quarantinedInput } from '#adapter-kit';
import { isElement, type XmlElement } from './mws-xml.js';
import { decodeXmlText } from '#adapter-kit';

export type { MwsField } from './mws-row.js';

export interface MagisterMwsAdapterOptions {
  /**
   * The school's own column name per field, when its MWS list uses one the adapter does not know
   * (`{ pupil: 'leerling_stamnr' }`). Replaces the default candidates for that field.
   */
  readonly columns?: Readonly<Partial<Record<MwsField, string>>>;
  /**
   * The school's Magister reason list: reason code → Verantwoordingtype (1–8 or its name, e.g.
   * `{ ZK: 3, LO: 'te laat' }`). Used only for rows of a list without a verantwoordingtype column; without
   * it such rows are quarantined `UNKNOWN_KIND`, since the kind is never guessed.
   */
  readonly reasonTypes?: Readonly<Record<string, number | string>>;
}

/** Magister Web Services: `Response/Result` + `Table/<plural>/<singular>/<column>` XML of verantwoordingen. */
export function createMagisterMwsAdapter(options: MagisterMwsAdapterOptions = {}): SourceAdapter {
  const reader = rowReader(options);
  return {
    system: 'magister-mws',
    produces: ['records'],
    parse: (payload: string): AdapterOutput => parseMws(payload, reader),
  };
}

/** The adapter with the default column names and no reason list. */
export const magisterMwsAdapter: SourceAdapter = createMagisterMwsAdapter();

function rowReader(options: MagisterMwsAdapterOptions): RowReader {
  const columns = new Map<string, { field: MwsField; rank: number }>();
  const names = {} as Record<MwsField, string>;
  for (const field of MWS_FIELDS) {
    const own = options.columns?.[field];
    const candidates = own === undefined ? DEFAULT_COLUMNS[field] : [own];
    names[field] = candidates[0];
    candidates.forEach((column, rank) => {
      const key = normaliseColumn(column);
      if (!columns.has(key)) columns.set(key, { field, rank });
    });
  }
  const reasonTypes = new Map<string, string>();
  for (const [code, type] of Object.entries(options.reasonTypes ?? {})) {
    reasonTypes.set(code.trim(), normaliseTypeName(String(type)));
  }
  return { columns, names, reasonTypes };
}

function parseMws(payload: string, reader: RowReader): AdapterOutput {
  const table = readTable(payload);
  if (!table.ok)
    return payloadRejected('magister-mws', ADAPTER_ERRORS.MALFORMED_PAYLOAD, table.detail, payload);

  const records: SourceRecord[] = [];
  const quarantined: QuarantinedInput[] = [];
  for (const row of table.rows) {
    if (!isElement(row)) {
      quarantined.push(
        quarantinedInput('magister-mws', null, ADAPTER_ERRORS.WRONG_TYPE, 'row has no columns', row),
      );
      continue;
    }
    if (isErrorRow(row)) {
      const number = errorNumber(row);
      const detail = `error row${number === null ? '' : ` (Fout_nummer ${number})`}`;
      quarantined.push(quarantinedInput('magister-mws', null, ADAPTER_ERRORS.MALFORMED_PAYLOAD, detail, row));
      continue;
    }
    const outcome = rowToRecord(row, reader);
    if (outcome.ok) records.push(outcome.record);
    else
      quarantined.push(
        quarantinedInput('magister-mws', sourceIdOf(row, reader), outcome.reason, outcome.detail, row),
      );
  }
  return { records, lessons: [], quarantined };
}

function sourceIdOf(row: XmlElement, reader: RowReader): string | null {
  let best: { rank: number; id: string } | null = null;
  for (const [name, node] of Object.entries(row)) {
    const column = reader.columns.get(normaliseColumn(name));
    if (column?.field !== 'id' || typeof node !== 'string' || node.trim() === '') continue;
    if (best === null || column.rank < best.rank)
      best = { rank: column.rank, id: decodeXmlText(node).trim() };
  }
  return best?.id ?? null;
}
