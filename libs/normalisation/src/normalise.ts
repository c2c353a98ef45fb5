// The orchestrator: source records → canonical records, each step in a module of its own.
import type { CanonicalRecord, Lesson, QuarantinedInput, SourceRecord } from '#domain';
import { addAggregate } from './aggregates.js';
import type { BellSlot } from './bell-schedule.js';
import { RecordFactory } from './canonical-record.js';
import type { NormaliseCarry } from './carry.js';
import { categorise } from './categorise.js';
import { deduplicate } from './deduplicate.js';
import { Drafts, type NormaliseOutput, Rejection, compareQuarantined, quarantine } from './drafts.js';
import { PageLinks } from './page-links.js';
import { Placement } from './placement.js';
import type { ReasonMapping } from './reason-mapping.js';
import { allIndices, output, sortedUniqueIds } from './record-order.js';
import { linkTeacherChecks } from './teacher-checks.js';
import { place } from './time-placement.js';
import { Timetable } from './timetable.js';

export { NormaliseCarry, finishBatches } from './carry.js';
export { PageLinks } from './page-links.js';
export type { NormaliseOutput } from './drafts.js';
export { MAX_SPAN_DAYS } from './time-placement.js';

export interface NormaliseContext {
  /** The school's reason mapping for the records' system; null: the system's fallback rules only. */
  readonly mapping: ReasonMapping | null;
  /** Timetable lessons (any pupil; lessons without `pupil` are a timetable shared by every pupil without one). */
  readonly lessons: readonly Lesson[];
  /** The school's bell schedule, as validated by `parseBellSchedule`; null when unknown. */
  readonly bellSchedule: readonly BellSlot[] | null;
}

/**
 * Source records → canonical records (contracts §2): category and legal class, times in Europe/Amsterdam with
 * their offset, missed minutes and lessons measured against the pupil's timetable, whole days expanded per
 * lesson, teacher checks linked to the reports that explain them. Pure and deterministic: the same records
 * in any order give the same output; inputs are never mutated.
 */
export function normalise(
  records: readonly SourceRecord[],
  context: NormaliseContext,
  /**
   * Normalising a payload batch by batch: the state that links teacher checks across batches — held back until
   * `finishBatches` (`NormaliseCarry`), or given out with each page and re-linked by later ones (`PageLinks`).
   */
  carry?: NormaliseCarry | PageLinks,
): NormaliseOutput {
  const timetable = new Timetable(context.lessons, context.bellSchedule);
  const quarantined: QuarantinedInput[] = [...timetable.quarantined];
  const drafts = new Drafts();
  // Everything the steps share lives for this call only: the record factory's shared objects, the placement.
  const factory = new RecordFactory();
  const placement = new Placement(timetable, drafts, factory);

  for (const record of records) {
    let rejected: Rejection | null;
    if (record.via === 'AGGREGATE') {
      rejected = addAggregate(record, drafts, factory);
    } else {
      const categorised = categorise(record, context.mapping);
      if (categorised.outcome === 'drop') continue;
      rejected =
        categorised.outcome === 'quarantine'
          ? new Rejection(categorised.reason, categorised.detail)
          : place(record, categorised, placement);
    }
    if (rejected !== null) quarantined.push(quarantine(record, rejected.reason, rejected.detail));
  }

  if (carry === undefined) {
    // The common case, every recordId once: sorted by number, without the map de-duplication needs.
    const sorted = sortedUniqueIds(drafts.records);
    if (sorted !== null) {
      linkTeacherChecks(drafts, allIndices(drafts.size));
      const out = new Array<CanonicalRecord>(sorted.length);
      for (let i = 0; i < sorted.length; i++) out[i] = drafts.records[sorted[i]];
      quarantined.sort(compareQuarantined);
      return { records: out, quarantined };
    }
  }
  const kept = deduplicate(drafts, quarantined);
  if (carry === undefined) linkTeacherChecks(drafts, kept);
  else if (carry instanceof PageLinks) {
    const relinked = carry.link(drafts, kept);
    const out = output(drafts, kept, quarantined);
    if (relinked.length === 0) return out;
    // Checks of earlier pages with a new link go out again with this page, in recordId order like the rest.
    const records = [...out.records, ...relinked].sort((a, b) =>
      a.recordId < b.recordId ? -1 : a.recordId > b.recordId ? 1 : 0,
    );
    return { records, quarantined: out.quarantined };
  } else carry.hold(drafts, kept);
  return output(drafts, kept, quarantined);
}
