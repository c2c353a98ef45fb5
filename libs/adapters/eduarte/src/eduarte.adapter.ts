import type {
  AdapterContext,
  AdapterOutput,
  PayloadChunks,
  QuarantinedInput,
  SourceAdapter,
  SourceRecord,
} from '#domain';
import { collectPayload } from '#domain';
import { CsvRowFields, REQUIRED_COLUMNS, readCsv, rowRaw } from './eduarte-csv.js';
import {
  absentiemeldingReport,
  ADAPTER_ERRORS,
  itemQuarantined,
  asAnything,
  asId,
  type DateTime,
  type Fields,
  isObject,
  ItemProblem,
  JsonFields,
  malformedPayload,
  peekPayload,
  streamJsonLists,
  waarnemingTeacherCheck,
  idAt,
} from '#adapter-kit';

// EduArte has no public absence API: what arrives is an export with the field names of its open-sourced
// domain model, as JSON (`{ absentieMeldingen: [...], waarnemingen: [...] }`) or as CSV with the same names,
// dotted for nesting. A JSON item and a CSV row are read through the same `Fields`, so one mapping serves
// both. `opmerkingen` and `omschrijving` are never read.

export const eduarteAdapter: SourceAdapter = {
  system: 'eduarte',
  produces: ['records'],
  parse: parseEduarte,
  parseStream: streamEduarte,
};

/** JSON exports are read in batches; a CSV export is read whole (its rows are small, its reader synchronous). */
async function* streamEduarte(
  chunks: PayloadChunks,
  context?: AdapterContext,
): AsyncGenerator<AdapterOutput> {
  const peeked = await peekPayload(chunks, (head) => /\S/.test(head.replace(/^\uFEFF/, '')));
  const first = /\S/.exec(peeked.head)?.[0];
  if (first !== '{' && first !== '[') {
    yield parseEduarte(await collectPayload(peeked.chunks, context?.documentMaxBytes));
    return;
  }
  yield* streamJsonLists(peeked.chunks, {
    system: 'eduarte',
    lists: LISTS.map(([name]) => name),
    ...(context?.itemMaxBytes === undefined ? {} : { itemMaxBytes: context.itemMaxBytes }),
    readBatch: (envelope, offsets) => readJsonRoot(envelope, envelope, offsets),
  });
}

/** A JSON export starts with `{` (or `[`, which is then refused as not an object); anything else is CSV. */
function parseEduarte(payload: string): AdapterOutput {
  const text = payload.replace(/^\uFEFF/, '');
  const first = /\S/.exec(text)?.[0];
  if (first === undefined) return malformed(payload, 'payload: empty');
  return first === '{' || first === '[' ? parseJsonExport(payload, text) : parseCsvExport(payload, text);
}

const LISTS = [
  ['absentieMeldingen', absenceReport],
  ['waarnemingen', teacherCheck],
] as const;

function parseJsonExport(payload: string, text: string): AdapterOutput {
  let root: unknown;
  try {
    root = JSON.parse(text);
  } catch {
    return malformed(payload, 'payload: not valid JSON');
  }
  return readJsonRoot(root, payload, {});
}

/** The export's top level (or a streamed batch of it); `first` gives each list's index of its first item. */
function readJsonRoot(
  root: unknown,
  payload: unknown,
  first: Readonly<Record<string, number>>,
): AdapterOutput {
  if (!isObject(root)) return malformed(payload, 'payload: not a JSON object');
  if (LISTS.every(([name]) => root[name] === undefined)) {
    return malformed(payload, 'absentieMeldingen: missing (and no waarnemingen)');
  }
  const wrong = LISTS.find(([name]) => root[name] !== undefined && !Array.isArray(root[name]));
  if (wrong !== undefined) return malformed(payload, `${wrong[0]}: not a list`);

  const out = new Output();
  for (const [name, toRecord] of LISTS) {
    const list = (root[name] ?? []) as readonly unknown[];
    list.forEach((item, i) => {
      out.add(
        `${name}[${(first[name] ?? 0) + i}]`,
        () => item,
        () => {
          if (!isObject(item)) throw new ItemProblem(ADAPTER_ERRORS.WRONG_TYPE, 'item: not an object');
          return toRecord(new JsonFields(item));
        },
      );
    });
  }
  return out.result();
}

function parseCsvExport(payload: string, text: string): AdapterOutput {
  const csv = readCsv(text);
  if (typeof csv === 'string') return malformed(payload, csv);
  const toRecord = csv.kind === 'absentieMeldingen' ? absenceReport : teacherCheck;
  const missing = REQUIRED_COLUMNS[csv.kind].filter((column) => !csv.columns.has(column));
  if (missing.length > 0) {
    // Without a column every row would be misread (no eindLesuur would make every report a whole day).
    const problem = new ItemProblem(
      ADAPTER_ERRORS.MISSING_FIELD,
      `CSV header: missing column(s) ${missing.join(', ')}`,
    );
    return { records: [], lessons: [], quarantined: [itemQuarantined('eduarte', problem, null, payload)] };
  }
  const { header } = csv;
  const out = new Output();
  csv.rows.forEach((cells, i) => {
    out.add(
      `row ${i + 1}`,
      () => rowRaw(header, cells),
      () => {
        if (cells.length !== header.length) {
          const reason =
            cells.length < header.length ? ADAPTER_ERRORS.MISSING_FIELD : ADAPTER_ERRORS.WRONG_TYPE;
          throw new ItemProblem(reason, `${cells.length} cells for ${header.length} columns`);
        }
        return toRecord(new CsvRowFields(csv.columns, cells));
      },
    );
  });
  return out.result();
}

function absenceReport(f: Fields): SourceRecord {
  const id = { sourceSystem: 'eduarte', sourceId: f.need('id', asId), pupil: readPupil(f) } as const;
  return absentiemeldingReport(f, id, isInclusiveEnd);
}

function teacherCheck(f: Fields): SourceRecord {
  const id = { sourceSystem: 'eduarte', sourceId: f.need('id', asId), pupil: readPupil(f) } as const;
  return waarnemingTeacherCheck(f, id, () => ({
    authorisedFlag: null,
    reasonCode: null,
    lessonRef: null,
    explainedByRef: linkedReport(f),
  }));
}

/**
 * EduArte writes the end of whole days inclusively, as the day's last second (23:59:59). An end taken from
 * a lesson hour is that lesson's end (10:00:00), where the next lesson starts: read as inclusive it would
 * overlap that next lesson. So an end on a :59 second is inclusive, any other is not.
 */
function isInclusiveEnd(end: DateTime): boolean {
  return ((Math.floor(end.wallMs / 1000) % 60) + 60) % 60 === 59;
}

/** The deelnemernummer: the school's own number, the only pupil id in an export. */
function readPupil(f: Fields): SourceRecord['pupil'] {
  const deelnemernummer = f.need('deelnemer.deelnemernummer', asId);
  return { localId: deelnemernummer, leerlingnummer: deelnemernummer };
}

/** `absentieMelding` holds the report's id, or the report itself with its `id`. */
function linkedReport(f: Fields): string | null {
  const link = f.read('absentieMelding', asAnything);
  if (link === null) return null;
  return isObject(link) ? f.need('absentieMelding.id', asId) : asId(link, 'absentieMelding');
}

/** Collects records and per-item quarantines; an ItemProblem stops one item, never the payload. */
class Output {
  private readonly records: SourceRecord[] = [];
  private readonly quarantined: QuarantinedInput[] = [];

  /** `raw` is built only for a quarantine: a CSV row becomes an object only when it is kept. */
  add(where: string, raw: () => unknown, toRecord: () => SourceRecord): void {
    try {
      this.records.push(toRecord());
    } catch (error) {
      if (!(error instanceof ItemProblem)) throw error;
      const item = raw();
      const located = new ItemProblem(error.reason, `${where}: ${error.message}`);
      this.quarantined.push(itemQuarantined('eduarte', located, idAt(item, 'id'), item));
    }
  }

  result(): AdapterOutput {
    return { records: this.records, lessons: [], quarantined: this.quarantined };
  }
}

/** The whole payload, kept as raw so it can be replayed once the export is fixed. */
function malformed(payload: unknown, detail: string): AdapterOutput {
  return malformedPayload('eduarte', detail, payload);
}
