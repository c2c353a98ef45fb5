// Records in recordId order: the fast numeric sort of the common case, and the general sort after de-duplication.
import type { CanonicalRecord, QuarantinedInput } from '#domain';
import { type Draft, type Drafts, type NormaliseOutput, compareQuarantined } from './drafts.js';

/** 0, 1, …, n − 1: every draft kept (the common case, no id twice). */
export function allIndices(n: number): number[] {
  const indices = new Array<number>(n);
  for (let i = 0; i < n; i++) indices[i] = i;
  return indices;
}

/** The value of each hex digit by its char code (lower case only, as `stableId` writes them); -1 otherwise. */
const HEX: Readonly<Int8Array> = hexDigits();
function hexDigits(): Int8Array {
  const table = new Int8Array(128).fill(-1);
  for (let d = 0; d < 16; d++) table['0123456789abcdef'.charCodeAt(d)] = d;
  return table;
}
/** Indices are kept in the low bits of a sort key: 2^21 of them, beside 32 bits of the id (53 bits in all). */
const INDEX_SPAN = 2 ** 21;
const ID_PREFIX = 'rec_';

/**
 * The indices of `records` in recordId order (the engine's string order), when every id is a `rec_` id of hex
 * digits and none comes twice; null otherwise (the caller then de-duplicates the general way). The first eight
 * hex digits of each id, as a number, sort the records natively in a Float64Array; ids that share them (rare)
 * are put in order by their whole text.
 */
export function sortedUniqueIds(records: readonly Draft[]): Float64Array | null {
  const n = records.length;
  if (n >= INDEX_SPAN) return null;
  const keys = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const id = records[i].recordId;
    if (id.length < 12 || !id.startsWith(ID_PREFIX)) return null;
    let key = 0;
    for (let j = 4; j < 12; j++) {
      const code = id.charCodeAt(j);
      const digit = code < 128 ? HEX[code] : -1;
      if (digit < 0) return null;
      key = key * 16 + digit;
    }
    keys[i] = key * INDEX_SPAN + i;
  }
  keys.sort();
  let previousKey = -1;
  let runStart = 0;
  for (let i = 0; i < n; i++) {
    const key = keys[i];
    const index = key % INDEX_SPAN;
    const idKey = (key - index) / INDEX_SPAN;
    keys[i] = index;
    if (idKey !== previousKey) {
      if (i - runStart > 1 && !orderRun(records, keys, runStart, i)) return null;
      previousKey = idKey;
      runStart = i;
    }
  }
  if (n - runStart > 1 && !orderRun(records, keys, runStart, n)) return null;
  return keys;
}

/** Puts indices `from`…`to` (their ids share the first digits) in id order; false when two ids are equal. */
function orderRun(records: readonly Draft[], indices: Float64Array, from: number, to: number): boolean {
  const run = Array.from(indices.subarray(from, to)).sort((a, b) => {
    const x = records[a].recordId;
    const y = records[b].recordId;
    return x < y ? -1 : x > y ? 1 : 0;
  });
  for (let i = 0; i < run.length; i++) {
    if (i > 0 && records[run[i]].recordId === records[run[i - 1]].recordId) return false;
    indices[from + i] = run[i];
  }
  return true;
}

/** The kept drafts (recordId → index) as the output: records by recordId, quarantined inputs in their order. */
export function output(
  drafts: Drafts,
  kept: ReadonlyMap<string, number>,
  quarantined: QuarantinedInput[],
): NormaliseOutput {
  // Sorting the ids with the engine's own string order is much faster than a comparator over records.
  const ids = [...kept.keys()].sort();
  const out = new Array<CanonicalRecord>(ids.length);
  for (let i = 0; i < ids.length; i++) out[i] = drafts.records[kept.get(ids[i])!];
  quarantined.sort(compareQuarantined);
  return { records: out, quarantined };
}
