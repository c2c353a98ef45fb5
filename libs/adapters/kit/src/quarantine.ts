// How an adapter sets input aside: one quarantined item (its raw kept for replay inside the school's store),
// or a whole payload refused as one item. The detail names fields, never values (values are pupil data).
import type { AdapterOutput, QuarantinedInput, QuarantineReason, SourceSystemId } from '#domain';
import type { ItemProblem } from './json-fields.js';

/** One item of `system` set aside with its coded reason. */
export function quarantinedInput(
  system: SourceSystemId,
  sourceId: string | null,
  reason: QuarantineReason,
  detail: string,
  raw: unknown,
): QuarantinedInput {
  return { quarantined: true, sourceSystem: system, sourceId, reason, detail, raw };
}

/** One item of `system` set aside for the ItemProblem its read raised. */
export function itemQuarantined(
  system: SourceSystemId,
  problem: ItemProblem,
  sourceId: string | null,
  raw: unknown,
): QuarantinedInput {
  return quarantinedInput(system, sourceId, problem.reason, problem.message, raw);
}

/** A payload refused whole: no records, no lessons, one quarantined item holding the payload. */
export function payloadRejected(
  system: SourceSystemId,
  reason: QuarantineReason,
  detail: string,
  payload: unknown,
): AdapterOutput {
  return { records: [], lessons: [], quarantined: [quarantinedInput(system, null, reason, detail, payload)] };
}
