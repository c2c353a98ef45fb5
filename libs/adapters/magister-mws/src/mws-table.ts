import { errorNumber } from './mws-row.js';
import { isElement, many, readXml, type XmlElement } from './mws-xml.js';

export type TableOutcome =
  { readonly ok: true; readonly rows: readonly unknown[] } | { readonly ok: false; readonly detail: string };

/**
 * An MWS response (`Response/Result` + `Table/<plural>/<singular>/<column>`) → every row of every list under
 * `Table`, or why the payload as a whole is unreadable. Shared by the verantwoordingen adapter and the roster
 * reader; never throws. A `Result` other than True is reported with its `Fout_nummer` only: `Fout_omschrijving`
 * may name a pupil or a user.
 */
export function readTable(payload: string): TableOutcome {
  const xml = readXml(payload);
  if (!xml.ok) return { ok: false, detail: xml.detail };
  const response = xml.document['Response'];
  if (!isElement(response)) return { ok: false, detail: 'no Response element' };

  const result = response['Result'];
  if (typeof result !== 'string' || result.trim().toLowerCase() !== 'true') {
    const number = errorNumber(response) ?? firstRowErrorNumber(response);
    return { ok: false, detail: `Result is not True${number === null ? '' : ` (Fout_nummer ${number})`}` };
  }
  const rows = rowsOf(response);
  if (rows === null) return { ok: false, detail: 'Table is not a list of rows' };
  return { ok: true, rows };
}

/** Every row of every list in `Table`; null when `Table` holds text instead of lists. */
function rowsOf(response: XmlElement): readonly unknown[] | null {
  const table = response['Table'];
  if (table === undefined || table === '') return [];
  if (!isElement(table)) return null;
  const rows: unknown[] = [];
  for (const list of Object.values(table)) {
    for (const listElement of many(list)) {
      if (listElement === '') continue;
      if (!isElement(listElement)) return null;
      // A loop, not push(...rows): spreading a list of 100 000 rows overflows the call stack.
      for (const rowsOfKind of Object.values(listElement)) for (const row of many(rowsOfKind)) rows.push(row);
    }
  }
  return rows;
}

function firstRowErrorNumber(response: XmlElement): string | null {
  for (const row of rowsOf(response) ?? []) {
    if (isElement(row)) {
      const number = errorNumber(row);
      if (number !== null) return number;
    }
  }
  return null;
}
