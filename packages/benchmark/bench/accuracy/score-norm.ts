/**
 * Symmetric score normalisation (S-norm, as in speaker and face verification): a pair's score, minus the mean of
 * each side's scores against a cohort of other people, over the spread of those scores, averaged over the two
 * sides. It removes what is peculiar to one photo (a probe whose mask makes it score high against everyone, a
 * reference with an unusual face) before the threshold sees the score. The cohort must hold no evaluated person.
 */
import type { FaceVectors } from './vectors.js';

/** Scores pairs: `references[i]` against `probes[i]`. */
export type PairScorer = (references: readonly FaceVectors[], probes: readonly FaceVectors[]) => Float32Array;

/** Each image's mean and standard deviation of scores against a cohort. */
export interface CohortStats {
  mean: Float32Array;
  std: Float32Array;
}

/**
 * Every `length / size`-th item (in the given order): a deterministic cohort of at most `size`.
 *
 * @example
 * pickCohort([1, 2, 3, 4, 5, 6], 3); // [1, 3, 5]
 */
export function pickCohort<T>(items: readonly T[], size: number): T[] {
  const step = Math.max(1, Math.floor(items.length / size));
  return items.filter((_, i) => i % step === 0).slice(0, size);
}

/**
 * The mean and standard deviation of each image's scores against every cohort member, the image on the reference
 * side (`side: 'reference'`, cohort = probes) or on the probe side (cohort = references).
 *
 * @example
 * const refStats = cohortStats(score, references, cohortProbes, 'reference');
 */
export function cohortStats(
  score: PairScorer,
  images: readonly FaceVectors[],
  cohort: readonly FaceVectors[],
  side: 'reference' | 'probe',
): CohortStats {
  const mean = new Float32Array(images.length);
  const std = new Float32Array(images.length);
  // about 2,000 pairs per call: a few images against the whole cohort
  const perCall = Math.max(1, Math.floor(2048 / Math.max(1, cohort.length)));
  for (let start = 0; start < images.length; start += perCall) {
    const group = images.slice(start, start + perCall);
    const fixed = group.flatMap((image) => cohort.map(() => image));
    const others = group.flatMap(() => cohort);
    const s = side === 'reference' ? score(fixed, others) : score(others, fixed);
    for (let g = 0; g < group.length; g++) {
      let sum = 0;
      let squares = 0;
      for (let k = 0; k < cohort.length; k++) {
        const v = s[g * cohort.length + k];
        sum += v;
        squares += v * v;
      }
      const m = sum / cohort.length;
      mean[start + g] = m;
      std[start + g] = Math.sqrt(Math.max(squares / cohort.length - m * m, 1e-12));
    }
  }
  return { mean, std };
}

/**
 * S-norm of one pair's score from the two sides' cohort statistics.
 *
 * @example
 * sNorm(2.0, { mean: 0, std: 1 }, { mean: 1, std: 2 }); // 0.5 * (2 + 0.5) = 1.25
 */
export function sNorm(
  score: number,
  reference: { mean: number; std: number },
  probe: { mean: number; std: number },
): number {
  return 0.5 * ((score - reference.mean) / reference.std + (score - probe.mean) / probe.std);
}
