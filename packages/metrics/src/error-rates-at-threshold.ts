import { clopperPearsonInterval } from './clopper-pearson-interval.js';
import { isSplitScores, splitByLabel } from './split-by-label.js';
import { toScoreArray } from './to-score-array.js';
import type { DirectionOptions, VerificationInput } from './types.js';
import { type ProportionInterval, wilsonInterval } from './wilson-interval.js';

/** Options of errorRatesAtThreshold. */
export interface ErrorRatesOptions extends DirectionOptions {
  /** Confidence level of the intervals (default 0.95). */
  confidence?: number;
}

/** FAR and FRR of one fixed threshold, with Wilson and Clopper-Pearson intervals. */
export interface ErrorRates {
  threshold: number;
  far: number;
  frr: number;
  falseAccepts: number;
  falseRejects: number;
  genuineCount: number;
  impostorCount: number;
  farWilson: ProportionInterval;
  farClopperPearson: ProportionInterval;
  frrWilson: ProportionInterval;
  frrClopperPearson: ProportionInterval;
}

/**
 * FAR and FRR of a fixed threshold (e.g. one calibrated earlier with thresholdAtFar) with confidence
 * intervals. Match rule: `score >= threshold` (or `score <= threshold` when higherIsMatch is false). O(n).
 *
 * @example
 * const r = errorRatesAtThreshold({ genuine, impostor }, 0.62);
 * r.far; r.farClopperPearson.upper; // point estimate and a conservative 95% upper bound
 */
export function errorRatesAtThreshold(
  input: VerificationInput,
  threshold: number,
  options: ErrorRatesOptions = {},
): ErrorRates {
  const { higherIsMatch = true, confidence = 0.95 } = options;
  if (Number.isNaN(threshold)) throw new RangeError('threshold is NaN: pass a number.');
  const { genuine, impostor } = isSplitScores(input)
    ? { genuine: toScoreArray(input.genuine, 'genuine'), impostor: toScoreArray(input.impostor, 'impostor') }
    : splitByLabel(input.scores, input.labels);
  if (genuine.length === 0 || impostor.length === 0) {
    throw new RangeError(
      `need both genuine and impostor scores (got ${genuine.length} genuine, ${impostor.length} impostor).`,
    );
  }
  const accepts = (s: number) => (higherIsMatch ? s >= threshold : s <= threshold);
  let falseRejects = 0;
  for (let i = 0; i < genuine.length; i++) if (!accepts(genuine[i])) falseRejects++;
  let falseAccepts = 0;
  for (let i = 0; i < impostor.length; i++) if (accepts(impostor[i])) falseAccepts++;
  return {
    threshold,
    far: falseAccepts / impostor.length,
    frr: falseRejects / genuine.length,
    falseAccepts,
    falseRejects,
    genuineCount: genuine.length,
    impostorCount: impostor.length,
    farWilson: wilsonInterval(falseAccepts, impostor.length, confidence),
    farClopperPearson: clopperPearsonInterval(falseAccepts, impostor.length, confidence),
    frrWilson: wilsonInterval(falseRejects, genuine.length, confidence),
    frrClopperPearson: clopperPearsonInterval(falseRejects, genuine.length, confidence),
  };
}
