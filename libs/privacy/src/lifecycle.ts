import { instantOf, requireInstant } from './time.js';

export interface PolicyVersionWindow {
  readonly version: string;
  readonly effectiveFrom: string;
  readonly effectiveUntil?: string | null;
  readonly approved: boolean;
}

/**
 * The policy version in force at `at`: among approved versions whose [effectiveFrom, effectiveUntil) holds
 * `at`, the one that took effect last (a later version supersedes an earlier open-ended one); on equal
 * start, the later entry in the list. Null when none is in force. Pure: the caller passes the moment.
 */
export function effectiveVersionAt<V extends PolicyVersionWindow>(
  versions: readonly V[],
  at: Date | string,
): V | null {
  const atMs = requireInstant(at, 'at');
  let best: V | null = null;
  let bestFrom = -Infinity;
  for (const v of versions) {
    if (!v.approved) continue;
    const from = instantOf(v.effectiveFrom);
    const until = v.effectiveUntil == null ? Infinity : instantOf(v.effectiveUntil);
    if (Number.isNaN(from) || Number.isNaN(until) || !(atMs >= from && atMs < until)) continue;
    if (from >= bestFrom) {
      best = v;
      bestFrom = from;
    }
  }
  return best;
}
