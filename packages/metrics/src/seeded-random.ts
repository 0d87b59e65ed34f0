/**
 * A small seeded PRNG (mulberry32) returning floats in [0, 1), for the bootstrap. Metrics imports nothing
 * of ours, so it carries its own; pass `random` to use another generator (e.g. @mfr/core's rng.next).
 *
 * @example
 * const random = seededRandom(42);
 * random(); // same sequence for the same seed
 */
export function seededRandom(seed: number): () => number {
  let state = (Math.trunc(seed) ^ 0x9e3779b9) >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
