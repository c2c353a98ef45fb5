import { type InfoRecord, type Options, parse as parseCsvStream } from 'csv-parse';
import { parse as parseCsv } from 'csv-parse/sync';
import type {
  AdapterContext,
  AdapterOutput,
  PayloadChunks,
  QuarantinedInput,
  QuarantineReason,
  SourceAdapter,
  SourceRecord,
} from '#domain';
import {
  COLUMNS,
  CSV_RECORD_TYPES,
  DAY_PARTS,
  type DayPart,
  KINDS,
  MAX_LESSON_HOUR,
  PGN_COLUMNS,
  REGISTERED_VIA,
  REQUIRED_COLUMNS,
} from './csv-format.js';
import {
  ADAPTER_ERRORS,
  itemTooLarge,
  malformedPayload,
  ok,
  peekPayload,
  problem,
  type Read,
  STREAM_BATCH_ITEMS,
} from '#adapter-kit';

/**
 * The ketenpoort generic CSV (README.md): one row per registration, for schools whose system has no interface
 * (ParnasSys, ESIS exports). po rows name a day part, vo rows a lesson hour or clock times; a row with none of
 * them is a whole day. Times are naive Europe/Amsterdam wall-clock times.
 */

const SYSTEM = 'csv' as const;

const KNOWN_COLUMNS: ReadonlySet<string> = new Set(Object.values(COLUMNS));

/** One data row: its fields, where each column sits, and the line it ended on. */
interface Row {
  readonly line: number;
  readonly fields: readonly string[];
  readonly columns: ReadonlyMap<string, number>;
  /** Number of header fields. */
  readonly width: number;
}

/** Thrown inside the CSV parser's record callback to stop at a bad header; caught right away. */
class HeaderProblem extends Error {
  constructor(readonly detail: string) {
    super(detail);
    this.name = 'HeaderProblem';
  }
}

export const csvAdapter: SourceAdapter = {
  system: SYSTEM,
  produces: ['records'],
  parse: parseExport,
  parseStream: streamExport,
};

function parseExport(payload: string): AdapterOutput {
  const text = payload.charCodeAt(0) === 0xfeff ? payload.slice(1) : payload;
  const headerLine = firstNonBlankLine(text);
  const rawOnFailure = hasPgnColumn(headerLine) ? null : text;
  if (headerLine === '') return malformed('payload is empty', rawOnFailure);
  const reader = new ExportReader();
  try {
    parseCsv(text, reader.options(headerLine));
  } catch (error) {
    return reader.failed(error, rawOnFailure);
  }
  return reader.take();
}

/**
 * The export read from a stream, in batches of rows: csv-parse's stream parser takes the chunks as they come.
 * The header decides the delimiter, so the chunks up to the first non-blank line are read first. A fault
 * (an unclosed quote at the end, a bad header) keeps the rows read before it; the rest is one
 * MALFORMED_PAYLOAD quarantine.
 */
async function* streamExport(chunks: PayloadChunks, context?: AdapterContext): AsyncGenerator<AdapterOutput> {
  const peeked = await peekPayload(chunks, (head) => /\S[^\r\n]*[\r\n]/.test(head));
  const headerLine = firstNonBlankLine(peeked.head);
  const rawOnFailure = hasPgnColumn(headerLine) ? null : peeked.head;
  if (headerLine === '') {
    yield malformed('payload is empty', rawOnFailure);
    return;
  }
  const reader = new ExportReader(STREAM_BATCH_ITEMS);
  // One row is one item: bounded by INGEST_ITEM_MAX_BYTES (ADR 0013), so a quote never closed cannot grow memory.
  const parser = parseCsvStream({
    ...reader.options(headerLine),
    bom: true,
    ...(context?.itemMaxBytes === undefined ? {} : { max_record_size: context.itemMaxBytes }),
  });
  let failure: unknown = null;
  parser.on('error', (error) => {
    failure ??= error;
  });
  const ended = new Promise<void>((resolve) => {
    parser.on('end', resolve);
    parser.on('error', () => resolve());
  });
  parser.resume();
  const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
  for await (const chunk of peeked.chunks) {
    try {
      parser.write(chunk);
    } catch (error) {
      failure ??= error;
    }
    await tick();
    yield* reader.batches.splice(0);
    if (failure !== null) break;
  }
  if (failure === null) {
    parser.end();
    await ended;
  }
  yield* reader.batches.splice(0);
  if ((failure as { code?: unknown } | null)?.code === 'CSV_MAX_RECORD_SIZE') {
    throw itemTooLarge(context?.itemMaxBytes ?? 0, reader.size);
  }
  if (failure !== null) {
    // The rows read before the fault, and the fault. A bad header comes with the text read so far (as the
    // whole reading keeps the payload); a fault further on with none: that text is not gathered again.
    const read = reader.take();
    const fault = reader.failed(failure, failure instanceof HeaderProblem ? rawOnFailure : null);
    yield { ...read, quarantined: [...read.quarantined, ...fault.quarantined] };
    return;
  }
  yield reader.take();
}

/** Reads data rows as the CSV parser emits them; `take` hands over what has been read since the last take. */
class ExportReader {
  /** Full batches of `batchSize` rows, cut as the rows come (stream reading only). */
  readonly batches: AdapterOutput[] = [];
  private records: SourceRecord[] = [];
  private quarantined: QuarantinedInput[] = [];
  private readonly seen = new Map<string, number>();
  private header: readonly string[] | null = null;
  private columns: ReadonlyMap<string, number> = new Map();

  constructor(private readonly batchSize = Number.POSITIVE_INFINITY) {}

  get size(): number {
    return this.records.length + this.quarantined.length;
  }

  take(): AdapterOutput {
    const out = { records: this.records, lessons: [], quarantined: this.quarantined };
    this.records = [];
    this.quarantined = [];
    return out;
  }

  /** The parse options shared by the whole-text and the stream reading. */
  options(headerLine: string): CsvOptions {
    return {
      delimiter: detectDelimiter(headerLine),
      relax_column_count: true,
      skip_empty_lines: true,
      skip_records_with_empty_values: true,
      trim: true,
      on_record: (fields: string[], context: InfoRecord) => {
        this.onRow(fields, context.lines);
        return null;
      },
    };
  }

  /** What a parse error makes of the payload: a bad header, or text that is not CSV. */
  failed(error: unknown, raw: string | null): AdapterOutput {
    if (error instanceof HeaderProblem) return malformed(error.detail, raw);
    const code = (error as { code?: unknown }).code;
    return malformed(`payload is not readable CSV (${typeof code === 'string' ? code : 'parse error'})`, raw);
  }

  private reject(row: Row, sourceId: string | null, reason: QuarantineReason, detail: string): void {
    this.quarantined.push({
      quarantined: true,
      sourceSystem: SYSTEM,
      sourceId,
      reason,
      detail: `line ${row.line}: ${detail}`,
      raw: rawRow(row),
    });
  }

  // Rows are handled as the parser emits them, so a 50 MB export never exists twice in memory.
  private onRow(fields: string[], line: number): void {
    this.readRow(fields, line);
    if (this.size >= this.batchSize) this.batches.push(this.take());
  }

  private readRow(fields: string[], line: number): void {
    const header = this.header;
    if (header === null) {
      this.header = fields.map((name) => name.trim().toLowerCase());
      this.columns = readHeader(this.header);
      return;
    }
    const row: Row = { line, fields, columns: this.columns, width: header.length };
    if (fields.length !== header.length) {
      this.reject(
        row,
        null,
        ADAPTER_ERRORS.WRONG_TYPE,
        `row has ${fields.length} fields, the header has ${header.length}`,
      );
      return;
    }
    const result = readRow(row);
    if (!result.ok) {
      this.reject(row, optional(row, COLUMNS.recordId), result.problem.reason, result.problem.detail);
      return;
    }
    const { record, derivedId } = result.value;
    const earlier = this.seen.get(record.sourceId);
    if (earlier !== undefined) {
      this.reject(
        row,
        record.sourceId,
        derivedId ? ADAPTER_ERRORS.MISSING_FIELD : ADAPTER_ERRORS.WRONG_TYPE,
        derivedId
          ? `record_id is missing and the row has the same pupil_id, date, slot and registered_via as line ${earlier}`
          : `record_id is not unique (also on line ${earlier})`,
      );
      return;
    }
    this.seen.set(record.sourceId, line);
    this.records.push(record);
  }
}

type CsvOptions = Options;

/** Column name → index; throws HeaderProblem (caught by parseExport) when required columns lack or repeat. */
function readHeader(header: readonly string[]): Map<string, number> {
  const missing = REQUIRED_COLUMNS.filter((column) => !header.includes(column));
  if (missing.length > 0)
    throw new HeaderProblem(`header row is missing or lacks required columns: ${missing.join(', ')}`);
  const repeated = header.filter((name, index) => name !== '' && header.indexOf(name) !== index);
  if (repeated.length > 0)
    throw new HeaderProblem(`header names a column twice: ${[...new Set(repeated)].join(', ')}`);
  const columns = new Map<string, number>();
  // Only the format's own columns are read or kept: free text (remarks) and BSN columns never enter.
  header.forEach((name, index) => {
    if (KNOWN_COLUMNS.has(name)) columns.set(name, index);
  });
  return columns;
}

/** A quarantined row by the format's column names (never a BSN or free-text column); surplus fields apart. */
function rawRow(row: Row): Record<string, unknown> {
  const raw: Record<string, unknown> = {};
  for (const [name, index] of row.columns) {
    const value = row.fields[index];
    if (value !== undefined) raw[name] = value;
  }
  const extra = row.fields.slice(row.width);
  if (extra.length > 0) raw['(extra fields)'] = extra;
  return raw;
}

function readRow(row: Row): Read<{ record: SourceRecord; derivedId: boolean }> {
  const pupilId = required(row, COLUMNS.pupilId);
  if (!pupilId.ok) return pupilId;

  const date = readDate(required(row, COLUMNS.date));
  if (!date.ok) return date;

  const kindText = required(row, COLUMNS.kind);
  if (!kindText.ok) return kindText;
  const kind = KINDS[kindText.value.toLowerCase()];
  if (kind === undefined)
    return problem(ADAPTER_ERRORS.UNKNOWN_KIND, `kind is not one of ${Object.keys(KINDS).join(', ')}`);

  const viaText = required(row, COLUMNS.registeredVia);
  if (!viaText.ok) return viaText;
  const via = REGISTERED_VIA[viaText.value.toLowerCase()];
  if (via === undefined)
    return problem(
      ADAPTER_ERRORS.WRONG_TYPE,
      `registered_via is not one of ${Object.keys(REGISTERED_VIA).join(', ')}`,
    );

  const school = readSchool(row);
  if (!school.ok) return school;

  const dayPart = readDayPart(optional(row, COLUMNS.dayPart));
  if (!dayPart.ok) return dayPart;
  const lessonHours = readLessonHours(row);
  if (!lessonHours.ok) return lessonHours;
  if (dayPart.value !== null && lessonHours.value.from !== null)
    return problem(
      ADAPTER_ERRORS.WRONG_TYPE,
      'day_part and lesson_hour are both given; a row has one or the other',
    );

  const startTime = readTime(optional(row, COLUMNS.start), COLUMNS.start);
  if (!startTime.ok) return startTime;
  const endTime = readTime(optional(row, COLUMNS.end), COLUMNS.end);
  if (!endTime.ok) return endTime;
  if (endTime.value !== null && startTime.value === null)
    return problem(ADAPTER_ERRORS.MISSING_FIELD, 'end is given without start');
  if (startTime.value !== null && endTime.value !== null && endTime.value <= startTime.value)
    return problem(ADAPTER_ERRORS.IMPOSSIBLE_TIME, 'end is not after start');
  const arrivedAt = readTime(optional(row, COLUMNS.arrivedAt), COLUMNS.arrivedAt);
  if (!arrivedAt.ok) return arrivedAt;

  const authorised = readAuthorised(optional(row, COLUMNS.authorised));
  if (!authorised.ok) return authorised;

  const slot =
    dayPart.value ??
    (lessonHours.value.from !== null
      ? `u${lessonHours.value.from}` +
        (lessonHours.value.to === lessonHours.value.from ? '' : `-${lessonHours.value.to}`)
      : (startTime.value ?? 'dag'));
  const recordId = optional(row, COLUMNS.recordId);
  const sourceId = recordId ?? `${pupilId.value}/${date.value}/${slot}/${viaText.value.toLowerCase()}`;
  const leerlingnummer = optional(row, COLUMNS.leerlingnummer);
  const at = (time: string | null): string | null => (time === null ? null : `${date.value}T${time}`);

  return ok({
    derivedId: recordId === null,
    record: {
      sourceSystem: SYSTEM,
      sourceRecordType: dayPart.value === null ? CSV_RECORD_TYPES.other : CSV_RECORD_TYPES[dayPart.value],
      sourceId,
      pupil: { localId: pupilId.value, ...(leerlingnummer === null ? {} : { leerlingnummer }) },
      school: school.value,
      via,
      kind,
      authorisedFlag: authorised.value,
      reasonCode: optional(row, COLUMNS.reasonCode),
      date: date.value,
      start: at(startTime.value),
      end: at(endTime.value),
      endInclusive: false,
      lessonHourFrom: lessonHours.value.from,
      lessonHourTo: lessonHours.value.to,
      wholeDay: dayPart.value === null && lessonHours.value.from === null && startTime.value === null,
      arrivedAt: at(arrivedAt.value),
      lessonRef: null,
      lesson: null,
      explainedByRef: optional(row, COLUMNS.explainedBy),
      aggregate: null,
    },
  });
}

/** The trimmed value of a column; null when the column is absent or the cell empty. */
function optional(row: Row, column: string): string | null {
  const index = row.columns.get(column);
  const value = index === undefined ? undefined : row.fields[index];
  return value === undefined || value === '' ? null : value;
}

function required(row: Row, column: string): Read<string> {
  const value = optional(row, column);
  return value === null ? problem(ADAPTER_ERRORS.MISSING_FIELD, `${column} is empty`) : ok(value);
}

/** `YYYY-MM-DD` or `DD-MM-YYYY` (also `D-M-YYYY`), a real calendar date; returned as `YYYY-MM-DD`. */
function readDate(text: Read<string>): Read<string> {
  if (!text.ok) return text;
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text.value);
  const dutch = /^(\d{1,2})-(\d{1,2})-(\d{4})$/.exec(text.value);
  const parts = iso ? [iso[1], iso[2], iso[3]] : dutch ? [dutch[3], dutch[2], dutch[1]] : null;
  if (parts === null) return problem(ADAPTER_ERRORS.WRONG_TYPE, 'date is not YYYY-MM-DD or DD-MM-YYYY');
  const [year, month, day] = parts.map(Number) as [number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day)
    return problem(ADAPTER_ERRORS.WRONG_TYPE, 'date is not a calendar date');
  return ok(date.toISOString().slice(0, 10));
}

/** `H:mm`, `HH:mm` or `HH:mm:ss` → `HH:mm:ss`; null when empty. */
function readTime(text: string | null, column: string): Read<string | null> {
  if (text === null) return ok(null);
  const match = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(text);
  if (!match || Number(match[1]) > 23 || Number(match[2]) > 59 || Number(match[3] ?? 0) > 59)
    return problem(ADAPTER_ERRORS.WRONG_TYPE, `${column} is not a time HH:mm`);
  return ok(`${match[1].padStart(2, '0')}:${match[2]}:${match[3] ?? '00'}`);
}

function readDayPart(text: string | null): Read<DayPart | null> {
  if (text === null) return ok(null);
  const value = text.toLowerCase();
  return (DAY_PARTS as readonly string[]).includes(value)
    ? ok(value as DayPart)
    : problem(ADAPTER_ERRORS.WRONG_TYPE, `day_part is not one of ${DAY_PARTS.join(', ')}`);
}

function readLessonHours(row: Row): Read<{ from: number | null; to: number | null }> {
  const from = readLessonHour(optional(row, COLUMNS.lessonHour), COLUMNS.lessonHour);
  if (!from.ok) return from;
  const to = readLessonHour(optional(row, COLUMNS.lessonHourTo), COLUMNS.lessonHourTo);
  if (!to.ok) return to;
  if (from.value === null) {
    return to.value === null
      ? ok({ from: null, to: null })
      : problem(ADAPTER_ERRORS.MISSING_FIELD, 'lesson_hour_to is given without lesson_hour');
  }
  if (to.value !== null && to.value < from.value)
    return problem(ADAPTER_ERRORS.IMPOSSIBLE_TIME, 'lesson_hour_to is before lesson_hour');
  return ok({ from: from.value, to: to.value ?? from.value });
}

function readLessonHour(text: string | null, column: string): Read<number | null> {
  if (text === null) return ok(null);
  if (!/^\d{1,2}$/.test(text) || Number(text) > MAX_LESSON_HOUR)
    return problem(ADAPTER_ERRORS.WRONG_TYPE, `${column} is not a whole number 0..${MAX_LESSON_HOUR}`);
  return ok(Number(text));
}

function readAuthorised(text: string | null): Read<boolean | null> {
  if (text === null) return ok(null);
  const value = text.toLowerCase();
  if (value === 'true') return ok(true);
  if (value === 'false') return ok(false);
  return problem(ADAPTER_ERRORS.WRONG_TYPE, 'authorised is not true, false or empty');
}

function readSchool(row: Row): Read<SourceRecord['school']> {
  const brin = optional(row, COLUMNS.brin);
  const vestiging = optional(row, COLUMNS.vestiging);
  if (brin !== null && !/^\d{2}[A-Z0-9]{2}$/i.test(brin))
    return problem(ADAPTER_ERRORS.WRONG_TYPE, 'brin is not a BRIN (2 digits and 2 letters or digits)');
  if (vestiging !== null && !/^\d{2}$/.test(vestiging))
    return problem(ADAPTER_ERRORS.WRONG_TYPE, 'vestiging is not 2 digits');
  if (brin === null && vestiging === null) return ok(null);
  return ok({
    ...(brin === null ? {} : { brin: brin.toUpperCase() }),
    ...(vestiging === null ? {} : { vestiging }),
  });
}

/** The header row: the first line with something on it (blank lines are skipped like everywhere else). */
function firstNonBlankLine(text: string): string {
  const pattern = /[^\r\n]*/y;
  let index = 0;
  while (index < text.length) {
    pattern.lastIndex = index;
    const line = pattern.exec(text)?.[0] ?? '';
    if (line.trim() !== '') return line;
    index += line.length + (text.startsWith('\r\n', index + line.length) ? 2 : 1);
  }
  return '';
}

/** The header decides: `;` when it has more semicolons than commas, else `,`. */
function detectDelimiter(headerLine: string): string {
  const count = (char: string) => headerLine.split(char).length - 1;
  return count(';') > count(',') ? ';' : ',';
}

function hasPgnColumn(headerLine: string): boolean {
  return headerLine
    .split(/[;,]/)
    .some((name) => PGN_COLUMNS.has(name.trim().replace(/^"|"$/g, '').trim().toLowerCase()));
}

function malformed(detail: string, raw: string | null): AdapterOutput {
  return malformedPayload(SYSTEM, detail, raw);
}
