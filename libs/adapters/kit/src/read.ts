// The outcome of reading one part of an item without throwing: its value, or the coded problem that sends the
// item to quarantine (the detail names the field, never its value: values are pupil data).
import type { QuarantineReason } from '#domain';

/** Why a part of an item cannot be read. */
export interface ReadProblem {
  readonly reason: QuarantineReason;
  readonly detail: string;
}

export type Read<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly problem: ReadProblem };

export const ok = <T>(value: T): Read<T> => ({ ok: true, value });

export const problem = (reason: QuarantineReason, detail: string): Read<never> => ({
  ok: false,
  problem: { reason, detail },
});
