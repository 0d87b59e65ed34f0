import { seededRandom } from '@mfr/metrics';

/** Seeded normal samples (Box-Muller) for the closed-form tests. */
export function normalSamples(count: number, mean: number, std: number, seed: number): Float64Array {
  const random = seededRandom(seed);
  const out = new Float64Array(count);
  for (let i = 0; i < count; i += 2) {
    const u = 1 - random();
    const v = random();
    const r = Math.sqrt(-2 * Math.log(u));
    out[i] = mean + std * r * Math.cos(2 * Math.PI * v);
    if (i + 1 < count) out[i + 1] = mean + std * r * Math.sin(2 * Math.PI * v);
  }
  return out;
}

/** Seeded integer scores in [0, levels): many ties, for brute-force comparisons. */
export function integerScores(count: number, levels: number, offset: number, seed: number): number[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, () => Math.min(levels - 1, Math.floor(random() * levels) + offset));
}
