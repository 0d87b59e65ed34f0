/** Mean and standard deviation (population) of a class. */
export interface ScoreSummary {
  count: number;
  mean: number;
  std: number;
  min: number;
  max: number;
}

/**
 * Count, mean, population standard deviation, min and max of scores (two passes, no allocation).
 *
 * @example
 * summarizeScores(Float64Array.of(1, 2, 3)); // { count: 3, mean: 2, std: 0.8165, min: 1, max: 3 }
 */
export function summarizeScores(scores: ArrayLike<number>): ScoreSummary {
  const n = scores.length;
  let sum = 0;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    const v = scores[i];
    sum += v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const mean = n > 0 ? sum / n : Number.NaN;
  let squares = 0;
  for (let i = 0; i < n; i++) squares += (scores[i] - mean) ** 2;
  return { count: n, mean, std: n > 0 ? Math.sqrt(squares / n) : Number.NaN, min, max };
}

/**
 * Decidability index d' = (mean_genuine - mean_impostor) / sqrt((var_genuine + var_impostor) / 2), signed in
 * the match direction (negative when the scores are inverted). For two equal-variance Gaussians the EER is
 * Phi(-d'/2). When both variances are 0: +-Infinity if the means differ, else 0.
 *
 * @example
 * dPrime(summarizeScores(genuine), summarizeScores(impostor), true); // e.g. 3.0
 */
export function dPrime(genuine: ScoreSummary, impostor: ScoreSummary, higherIsMatch = true): number {
  const diff = (genuine.mean - impostor.mean) * (higherIsMatch ? 1 : -1);
  const pooled = Math.sqrt((genuine.std ** 2 + impostor.std ** 2) / 2);
  if (pooled === 0) return diff === 0 ? 0 : diff > 0 ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
  return diff / pooled;
}
