import type { ErrorIssue } from './errors.js';

/** Pure functions return a Result for bad data instead of throwing. */
export type Result<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly issues: ErrorIssue[] };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = <T = never>(issues: ErrorIssue[]): Result<T> => ({ ok: false, issues });
