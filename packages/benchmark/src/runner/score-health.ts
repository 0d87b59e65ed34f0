/**
 * Is a model's output usable at all? A model that gives NaN (or infinite) scores, or one score for every pair,
 * cannot tell faces apart, whatever its EER or top-1 numbers seem to say. The demo refuses such a model and the
 * benchmark flags it.
 */

/** What {@link scoreHealth} found. */
export interface ScoreHealth {
  /** False when any score is not finite, or when two or more scores are all the same value. */
  ok: boolean;
  /** Scores looked at. */
  count: number;
  /** Scores that are NaN or ±Infinity. */
  nonFinite: number;
  /** Distinct finite values. */
  distinct: number;
  /** What is wrong and its likely cause; null when ok. */
  message: string | null;
}

/**
 * Checks a model's scores for the two signs of a broken model: NaN or infinite scores (weights that went NaN,
 * e.g. when training diverged) and a single value for every pair (an output that does not depend on the faces:
 * collapsed or zeroed weights). Fewer than two scores are never called constant. `name` is what the message
 * calls the scores.
 *
 * @example
 * scoreHealth([0.9, 0.2, 0.4]).ok; // true
 * scoreHealth([Number.NaN, 0.2]).message; // '1 of 2 scores are NaN or infinite (...)'
 * scoreHealth([0.5, 0.5, 0.5]).message; // 'all 3 scores are the same value, 0.5 (...)'
 */
export function scoreHealth(scores: ArrayLike<number>, name = 'scores'): ScoreHealth {
  const values = new Set<number>();
  let nonFinite = 0;
  for (let i = 0; i < scores.length; i++) {
    const s = scores[i];
    if (Number.isFinite(s)) values.add(s);
    else nonFinite++;
  }
  const count = scores.length;
  const distinct = values.size;
  let message: string | null = null;
  if (nonFinite > 0) {
    const which = nonFinite === count ? `all ${count}` : `${nonFinite} of ${count}`;
    message = `${which} ${name} are NaN or infinite (the model's weights or outputs are probably NaN, e.g. training diverged)`;
  } else if (count >= 2 && distinct === 1) {
    message = `all ${count} ${name} are the same value, ${[...values][0]} (the model's output does not depend on the faces: collapsed, zeroed or untrained weights)`;
  }
  return { ok: message === null, count, nonFinite, distinct, message };
}

/**
 * The scores with every NaN or infinite one replaced by a value below all finite scores, so that statistics can
 * be computed: a pair the model could not score counts as rejected at every threshold (a false reject when
 * genuine). Returns the input itself when all scores are finite.
 *
 * @example
 * nonFiniteAsRejections([0.9, Number.NaN, 0.2]); // [0.9, -0.8, 0.2]
 */
export function nonFiniteAsRejections(scores: readonly number[]): readonly number[] {
  if (scores.every(Number.isFinite)) return scores;
  // a loop, not Math.min(...scores): pooled score lists can exceed the argument limit
  let lowest = Number.POSITIVE_INFINITY;
  for (const s of scores) if (Number.isFinite(s) && s < lowest) lowest = s;
  const floor = Number.isFinite(lowest) ? lowest - 1 : 0;
  return scores.map((s) => (Number.isFinite(s) ? s : floor));
}
