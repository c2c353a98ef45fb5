import type { CanonicalRecord } from './canonical-record.js';

/**
 * The records the signal rules can be moved by (issue 18): all of them except
 *
 * - aggregates (`registeredVia` AGGREGATE): the rules leave them out (signals `prepare.ts`);
 * - presence marks (category PRESENT) on a day the pupil has no other record that is not an aggregate: a presence
 *   mark only tells the daily check that a lesson was checked, and that rule looks only at days with a report or an
 *   unexplained teacher check — both records that are not presence marks.
 *
 * The signals of a pupil are the same with and without what this leaves out (a property test of `#signals` says
 * so); a store implements the same selection in its query (`SignalStore.recordsForRules`). On a school day most
 * marks are presence marks on days without absence: a one-day increment reads 43 % of the records (bench evaluate).
 */
export function recordsTheRulesRead(records: readonly CanonicalRecord[]): CanonicalRecord[] {
  const daysWithMore = new Set<string>();
  for (const r of records) {
    if (r.registeredVia !== 'AGGREGATE' && r.category !== 'PRESENT') daysWithMore.add(dayKey(r));
  }
  return records.filter(
    (r) => r.registeredVia !== 'AGGREGATE' && (r.category !== 'PRESENT' || daysWithMore.has(dayKey(r))),
  );
}

const dayKey = (r: CanonicalRecord): string => `${r.pupil.localId}\u0000${r.date}`;
