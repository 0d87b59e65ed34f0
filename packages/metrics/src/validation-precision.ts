import { identificationRanks, type TieRule, withinTopK } from './identification-ranks.js';
import type { DirectionOptions, ScoreArray } from './types.js';

/** Options of validationPrecision. */
export interface ValidationPrecisionOptions extends DirectionOptions {
  /** Imposters per trial (default 19, the paper's 1 authentic + 19 imposters). */
  impostersPerTrial?: number;
  /**
   * Tie rule (default 'pessimistic'): a trial counts only when the authentic similarity is strictly higher
   * than every imposter's, so a matcher that outputs constant scores scores 0, not 1. 'expected' gives a tied
   * trial 1/(ties + 1), the chance that a random tie-break picks the authentic pair; 'optimistic' counts ties as wins.
   */
  ties?: TieRule;
}

/**
 * The paper's validation precision: per trial, one authentic (same-person) pair and `impostersPerTrial`
 * imposter pairs; the fraction of trials where the authentic pair has the highest similarity.
 * `authentic[t]` is trial t's authentic score, `imposters` is trials x impostersPerTrial (row-major).
 *
 * @example
 * validationPrecision([0.9, 0.3], [0.1, 0.2,  0.5, 0.3], { impostersPerTrial: 2 }); // 0.5
 */
export function validationPrecision(
  authentic: ScoreArray,
  imposters: ScoreArray,
  options: ValidationPrecisionOptions = {},
): number {
  const { impostersPerTrial = 19, ties = 'pessimistic', higherIsMatch = true } = options;
  const trials = authentic.length;
  if (trials === 0)
    throw new RangeError('validationPrecision needs at least one trial (authentic is empty).');
  if (imposters.length !== trials * impostersPerTrial) {
    throw new RangeError(
      `imposters must hold ${impostersPerTrial} scores per trial (${trials} trials x ${impostersPerTrial} = ${trials * impostersPerTrial}), got ${imposters.length}.`,
    );
  }
  const candidates = impostersPerTrial + 1;
  const matrix = new Float64Array(trials * candidates);
  for (let t = 0; t < trials; t++) {
    matrix[t * candidates] = authentic[t];
    for (let i = 0; i < impostersPerTrial; i++)
      matrix[t * candidates + 1 + i] = imposters[t * impostersPerTrial + i];
  }
  const ranks = identificationRanks(matrix, { candidates, genuineColumn: 0, higherIsMatch });
  let wins = 0;
  for (let t = 0; t < trials; t++) wins += withinTopK(ranks.better[t], ranks.tied[t], 1, ties);
  return wins / trials;
}
