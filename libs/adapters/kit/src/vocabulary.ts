import type { AdapterOutput, GenericKind, SourceSystemId } from '#domain';
import { payloadRejected } from './quarantine.js';
import { ADAPTER_ERRORS } from './adapter-error-codes.js';

// SOMtoday and EduArte share one domain model (the open-sourced Topicus code base), so their reason kinds and
// teacher-check values mean the same in both (categories.md §3).

/** absentieReden.absentieSoort → generic kind. There is no "ziek": sickness is a school reason code. */
export const ABSENTIE_SOORT_KINDS: ReadonlyMap<string, GenericKind> = new Map<string, GenericKind>([
  ['Absent', 'ABSENT'],
  ['Telaat', 'LATE'],
  ['Verwijderd', 'SENT_OUT'],
]);

/** waarnemingSoort → generic kind. `Nvt`: scheduled, but the pupil was not required to attend. */
export const WAARNEMING_SOORT_KINDS: ReadonlyMap<string, GenericKind> = new Map<string, GenericKind>([
  ['Aanwezig', 'PRESENT'],
  ['Afwezig', 'ABSENT'],
  ['Nvt', 'NOT_SCHEDULED'],
]);

/** A payload that cannot be read at all: one quarantined item holding it whole, so it can be replayed. */
export function malformedPayload(system: SourceSystemId, detail: string, raw: unknown): AdapterOutput {
  return payloadRejected(system, ADAPTER_ERRORS.MALFORMED_PAYLOAD, detail, raw);
}
