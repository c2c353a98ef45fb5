import type { ErrorIssue } from './errors.js';

/**
 * Pure functions return a Result for bad data instead of throwing. The failure shape defaults to
 * `ErrorIssue[]`; a library with richer problems (e.g. the policy parser's line and column) names its own.
 */
export type Result<T, E = ErrorIssue[]> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly issues: E };

export const ok = <T, E = ErrorIssue[]>(value: T): Result<T, E> => ({ ok: true, value });
export const fail = <T = never, E = ErrorIssue[]>(issues: E): Result<T, E> => ({ ok: false, issues });
