import type { QuarantineReason } from '#domain';
import { parseTimestamp, type Timestamp } from './magister-time.js';
import { ADAPTER_ERRORS } from '#adapter-kit';

/** A JSON object as parsed: read field by field, never trusted. */
export type Item = Readonly<Record<string, unknown>>;

/** What reading a field gives: its value, or the coded reason the item must be quarantined. */
export type Read<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly reason: QuarantineReason; readonly detail: string };

export type Rejected = Extract<Read<unknown>, { readonly ok: false }>;

export const value = <T>(v: T): Read<T> => ({ ok: true, value: v });
export const reject = (reason: QuarantineReason, detail: string): Read<never> => ({
  ok: false,
  reason,
  detail,
});

export function isItem(v: unknown): v is Item {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** An id: an integer or a non-empty string, as a string. Required. */
export function readId(item: Item, field: string): Read<string> {
  const v = item[field];
  if (v === undefined || v === null) return reject(ADAPTER_ERRORS.MISSING_FIELD, `${field} is missing`);
  const id = idText(v);
  return id === null
    ? reject(ADAPTER_ERRORS.WRONG_TYPE, `${field} is neither an integer nor a non-empty string`)
    : value(id);
}

/** The source's id for a quarantine entry, when it can be read at all. */
export function idText(v: unknown): string | null {
  if (typeof v === 'number') return Number.isSafeInteger(v) ? String(v) : null;
  if (typeof v === 'string') return v.trim() === '' ? null : v.trim();
  return null;
}

/** An optional reference id; `0` (Magister's "none") and null read as null. */
export function readOptionalRef(item: Item, field: string): Read<string | null> {
  const v = item[field];
  if (v === undefined || v === null || v === 0 || v === '' || v === '0') return value(null);
  const id = idText(v);
  return id === null
    ? reject(ADAPTER_ERRORS.WRONG_TYPE, `${field} is neither an integer nor a string`)
    : value(id);
}

export function readOptionalInteger(item: Item, field: string): Read<number | null> {
  const v = item[field];
  if (v === undefined || v === null) return value(null);
  return Number.isSafeInteger(v)
    ? value(v as number)
    : reject(ADAPTER_ERRORS.WRONG_TYPE, `${field} is not an integer`);
}

export function readOptionalBoolean(item: Item, field: string): Read<boolean | null> {
  const v = item[field];
  if (v === undefined || v === null) return value(null);
  return typeof v === 'boolean' ? value(v) : reject(ADAPTER_ERRORS.WRONG_TYPE, `${field} is not a boolean`);
}

/** Trimmed text; null when missing or blank. */
export function readOptionalText(item: Item, field: string): Read<string | null> {
  const v = item[field];
  if (v === undefined || v === null) return value(null);
  if (typeof v !== 'string') return reject(ADAPTER_ERRORS.WRONG_TYPE, `${field} is not a string`);
  const text = v.trim();
  return value(text === '' ? null : text);
}

export function readTimestamp(item: Item, field: string): Read<Timestamp> {
  const v = item[field];
  if (v === undefined || v === null || v === '')
    return reject(ADAPTER_ERRORS.MISSING_FIELD, `${field} is missing`);
  if (typeof v !== 'string') return reject(ADAPTER_ERRORS.WRONG_TYPE, `${field} is not a string`);
  const parsed = parseTimestamp(v);
  if (parsed.ok) return value(parsed.value);
  return parsed.reason === ADAPTER_ERRORS.WRONG_TYPE
    ? reject(ADAPTER_ERRORS.WRONG_TYPE, `${field} is not an ISO 8601 timestamp`)
    : reject(ADAPTER_ERRORS.IMPOSSIBLE_TIME, `${field} is not a possible date and time`);
}
