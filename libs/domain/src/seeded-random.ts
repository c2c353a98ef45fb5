/**
 * A small seeded PRNG (mulberry32) in [0, 1): the same seed gives the same sequence on every run, so a
 * simulator's misbehaviour rate, a benchmark's generated board and a spec's random cases replay exactly.
 * Not for anything secret.
 */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
