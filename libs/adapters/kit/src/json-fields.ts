// Typed, path-based reads of one item's fields (a JSON item, or a CSV row through a subclass). A problem is an
// ItemProblem naming the field, never its value (values are pupil data); the adapter catches it per item.
import type { QuarantineReason } from '#domain';
import { type DateTime, endsBeforeStart, parseDateTime } from './date-time.js';
import { ADAPTER_ERRORS } from './adapter-error-codes.js';

/** Why one item cannot become a record. Thrown while one item is read and caught for that item only. */
export class ItemProblem extends Error {
  constructor(
    readonly reason: QuarantineReason,
    detail: string,
  ) {
    super(detail);
    this.name = 'ItemProblem';
  }
}

export type JsonObject = Readonly<Record<string, unknown>>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Turns a present value (not undefined, null or blank) into T, or throws an ItemProblem naming `path`. */
export type As<T> = (value: unknown, path: string) => T;

export const asText: As<string> = (value, path) => {
  if (typeof value !== 'string') throw new ItemProblem(ADAPTER_ERRORS.WRONG_TYPE, `${path}: not a string`);
  return value.trim();
};

/** Ids come as integers or strings; both are kept as strings. */
export const asId: As<string> = (value, path) => {
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  if (typeof value === 'string') return value.trim();
  throw new ItemProblem(ADAPTER_ERRORS.WRONG_TYPE, `${path}: not an id (integer or string)`);
};

export const asFlag: As<boolean> = (value, path) => {
  if (typeof value !== 'boolean') throw new ItemProblem(ADAPTER_ERRORS.WRONG_TYPE, `${path}: not a boolean`);
  return value;
};

export const asLessonHour: As<number> = (value, path) => {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new ItemProblem(ADAPTER_ERRORS.WRONG_TYPE, `${path}: not a lesson hour (integer from 0)`);
  }
  return value;
};

export const asDateTime: As<DateTime> = (value, path) => {
  const parsed = typeof value === 'string' ? parseDateTime(value.trim()) : ADAPTER_ERRORS.WRONG_TYPE;
  if (parsed === ADAPTER_ERRORS.WRONG_TYPE)
    throw new ItemProblem(ADAPTER_ERRORS.WRONG_TYPE, `${path}: not an ISO 8601 date-time`);
  if (parsed === ADAPTER_ERRORS.IMPOSSIBLE_TIME)
    throw new ItemProblem(ADAPTER_ERRORS.IMPOSSIBLE_TIME, `${path}: no such date or time`);
  return parsed;
};

export const asAnything: As<unknown> = (value) => value;

/** Typed reads of one item's fields by path; absent (undefined, null or blank) reads as null. */
export abstract class Fields {
  /** The raw value at `path`, undefined when absent. */
  protected abstract lookup(path: string): unknown;

  /** The value at `path`, or null when it is absent. */
  read<T>(path: string, as: As<T>): T | null {
    const value = this.lookup(path);
    if (value === undefined || value === null) return null;
    if (typeof value === 'string' && value.trim() === '') return null;
    return as(value, path);
  }

  /** The value at `path`; absent is MISSING_FIELD. */
  need<T>(path: string, as: As<T>): T {
    const value = this.read(path, as);
    if (value === null) throw new ItemProblem(ADAPTER_ERRORS.MISSING_FIELD, `${path}: missing`);
    return value;
  }
}

const SEGMENTS = new Map<string, readonly (string | number)[]>();

/** Reads a nested JSON item by path: `leerling.links[0].id`. */
export class JsonFields extends Fields {
  constructor(private readonly item: JsonObject) {
    super();
  }

  protected lookup(path: string): unknown {
    const segments = segmentsOf(path);
    let current: unknown = this.item;
    for (let i = 0; i < segments.length; i += 1) {
      if (current === undefined || current === null) return undefined;
      const segment = segments[i];
      if (typeof segment === 'number') {
        if (!Array.isArray(current))
          throw new ItemProblem(ADAPTER_ERRORS.WRONG_TYPE, `${pathOf(segments, i)}: not a list`);
        current = current[segment];
      } else {
        if (!isObject(current))
          throw new ItemProblem(ADAPTER_ERRORS.WRONG_TYPE, `${pathOf(segments, i)}: not an object`);
        current = Object.hasOwn(current, segment) ? current[segment] : undefined;
      }
    }
    return current;
  }
}

function segmentsOf(path: string): readonly (string | number)[] {
  let segments = SEGMENTS.get(path);
  if (segments === undefined) {
    segments = path
      .replace(/\[(\d+)\]/g, '.$1')
      .split('.')
      .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
    SEGMENTS.set(path, segments);
  }
  return segments;
}

/** The path of the first `length` segments, as written: `leerling.links[0]`. */
function pathOf(segments: readonly (string | number)[], length: number): string {
  return segments
    .slice(0, length)
    .map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`))
    .join('');
}

/** The time span SOMtoday and EduArte (the same domain model) give an item: begin/end and lesson hours. */
export interface ItemSpan {
  readonly start: DateTime;
  readonly end: DateTime | null;
  readonly lessonHourFrom: number | null;
  readonly lessonHourTo: number | null;
}

/**
 * Reads `beginDatumTijd`, `eindDatumTijd`, `beginLesuur`, `eindLesuur`; an end before the start (in time or in
 * lesson hours) is IMPOSSIBLE_TIME.
 */
export function readItemSpan(f: Fields): ItemSpan {
  const start = f.need('beginDatumTijd', asDateTime);
  const end = f.read('eindDatumTijd', asDateTime);
  const lessonHourFrom = f.read('beginLesuur', asLessonHour);
  const lessonHourTo = f.read('eindLesuur', asLessonHour);
  if (end !== null && endsBeforeStart(start, end)) {
    throw new ItemProblem(ADAPTER_ERRORS.IMPOSSIBLE_TIME, 'eindDatumTijd: before beginDatumTijd');
  }
  if (lessonHourFrom !== null && lessonHourTo !== null && lessonHourTo < lessonHourFrom) {
    throw new ItemProblem(ADAPTER_ERRORS.IMPOSSIBLE_TIME, 'eindLesuur: before beginLesuur');
  }
  return { start, end, lessonHourFrom, lessonHourTo };
}

/** The id at `path` of an item that became a quarantine entry, when it can be read at all; else null. */
export function idAt(raw: unknown, path: string): string | null {
  if (!isObject(raw)) return null;
  try {
    return new JsonFields(raw).read(path, asId);
  } catch {
    return null;
  }
}
