import { type IdentificationRanks, type TieRule, withinTopK } from './identification-ranks.js';

/**
 * Cumulative match characteristic: cmc[k - 1] = fraction of trials whose genuine candidate is within the top
 * k, for k = 1..maxRank (default: all candidates). Ties follow `ties` (default 'pessimistic': a genuine score
 * tied with an impostor counts as ranked below it, so constant scores never look good).
 *
 * @example
 * const cmc = cmcCurve(identificationRanks(matrix, { candidates: 20 }));
 * cmc[0]; // rank-1 accuracy
 */
export function cmcCurve(
  ranks: IdentificationRanks,
  maxRank = ranks.candidates,
  ties: TieRule = 'pessimistic',
): Float64Array {
  const trials = ranks.better.length;
  const curve = new Float64Array(Math.max(0, Math.min(maxRank, ranks.candidates)));
  for (let k = 1; k <= curve.length; k++) {
    let hits = 0;
    for (let t = 0; t < trials; t++) hits += withinTopK(ranks.better[t], ranks.tied[t], k, ties);
    curve[k - 1] = hits / trials;
  }
  return curve;
}

/**
 * Rank-k identification accuracy: fraction of trials whose genuine candidate is within the top k.
 *
 * @example
 * rankAccuracy(identificationRanks(matrix, { candidates: 20 }), 5);
 */
export function rankAccuracy(ranks: IdentificationRanks, k: number, ties: TieRule = 'pessimistic'): number {
  if (!(Number.isInteger(k) && k >= 1)) throw new RangeError(`rank k must be an integer >= 1, got ${k}.`);
  let hits = 0;
  for (let t = 0; t < ranks.better.length; t++) hits += withinTopK(ranks.better[t], ranks.tied[t], k, ties);
  return hits / ranks.better.length;
}
