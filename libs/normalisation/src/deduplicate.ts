// One record per recordId: the same item twice counts once; different items with one id lose by content order.
import type { QuarantinedInput, SourceRecord } from '#domain';
import { type Drafts, quarantine } from './drafts.js';
import { NORMALISATION_ERRORS } from './normalisation-error-codes.js';

/**
 * One record per recordId (the index of its draft). An item given twice (overlapping pulls) counts once. Two
 * different items that give the same recordId (same system, type and id) cannot both be right: the first in a
 * stable order (by content) is kept, the others are quarantined with all their records, so the outcome does not
 * depend on input order.
 */
export function deduplicate(drafts: Drafts, quarantined: QuarantinedInput[]): Map<string, number> {
  const byId = new Map<string, number>();
  const { records, sources } = drafts;
  let losers: Set<SourceRecord> | null = null;
  for (let i = 0; i < drafts.size; i++) {
    const id = records[i].recordId;
    const other = byId.get(id);
    if (other === undefined) {
      byId.set(id, i);
      continue;
    }
    if (sources[other] === sources[i]) continue;
    const a = JSON.stringify(sources[other]);
    const b = JSON.stringify(sources[i]);
    if (a === b) continue;
    losers ??= new Set();
    if (b < a) {
      losers.add(sources[other]);
      byId.set(id, i);
    } else {
      losers.add(sources[i]);
    }
  }
  if (losers === null) return byId;
  // Losers are known by content, so that a copy of a losing item does not come back in its place.
  const losing = new Set<string>();
  for (const record of losers) {
    const key = JSON.stringify(record);
    if (losing.has(key)) continue;
    losing.add(key);
    quarantined.push(
      quarantine(
        record,
        NORMALISATION_ERRORS.MALFORMED_PAYLOAD,
        'sourceId: another item has the same id and different content',
      ),
    );
  }
  const kept = new Map<string, number>();
  for (const [id, i] of byId) if (!losing.has(JSON.stringify(sources[i]))) kept.set(id, i);
  return kept;
}
