import { type FarRule, maxFalseAccepts } from './max-false-accepts.js';
import { sortScores } from './sort-scores.js';
import { toScoreArray } from './to-score-array.js';
import type { ScoreArray } from './types.js';

/** Options of thresholdAtFar. */
export interface ThresholdAtFarOptions {
  /** Score direction (default true: similarity, rule `score >= threshold`). */
  higherIsMatch?: boolean;
  /** 'at-most' (default): FAR <= target; 'below': FAR < target. */
  rule?: FarRule;
}

/** A calibrated threshold. */
export interface CalibratedThreshold {
  /** Use `score >= threshold` (similarities) or `score <= threshold` (distances). */
  threshold: number;
  /** FAR of this threshold on the given impostor scores. */
  achievedFar: number;
  falseAccepts: number;
  impostorCount: number;
  /** false when target < 1/impostorCount: the calibration set is too small to resolve the target. */
  resolved: boolean;
}

/**
 * Calibrates a deployment threshold from impostor scores alone: the most lenient threshold (the one that
 * accepts the most genuine users) whose FAR on these impostors is <= target. It lies just above the
 * (k+1)-th highest impostor score, k = floor(target * n): the next representable double, so impostors tied at
 * that score are rejected. O(n log n).
 *
 * @example
 * thresholdAtFar([0.1, 0.2, 0.3, 0.9], 0.25); // { threshold: 0.30000000000000004, achievedFar: 0.25, ... }
 * thresholdAtFar(distances, 0.001, { higherIsMatch: false }); // accept when distance <= threshold
 */
export function thresholdAtFar(
  impostor: ScoreArray,
  target: number,
  options: ThresholdAtFarOptions = {},
): CalibratedThreshold {
  const { higherIsMatch = true, rule = 'at-most' } = options;
  const scores = toScoreArray(impostor, 'impostor');
  const n = scores.length;
  if (n === 0) throw new RangeError('thresholdAtFar needs impostor scores; got an empty array.');
  const allowed = maxFalseAccepts(target, n, rule);
  if (allowed < 0) throw new RangeError(`FAR target ${target} with rule 'below' allows no threshold.`);
  if (!higherIsMatch) for (let i = 0; i < n; i++) scores[i] = -scores[i];
  sortScores(scores);
  if (allowed >= n) {
    return {
      threshold: higherIsMatch ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY,
      achievedFar: 1,
      falseAccepts: n,
      impostorCount: n,
      resolved: true,
    };
  }
  // oriented scores ascending: the (allowed+1)-th highest is at n - 1 - allowed
  const pivot = scores[n - 1 - allowed];
  const oriented = nextUp(pivot);
  let falseAccepts = 0;
  for (let i = n - 1; i >= 0 && scores[i] >= oriented; i--) falseAccepts++;
  return {
    threshold: higherIsMatch ? oriented : -oriented,
    achievedFar: falseAccepts / n,
    falseAccepts,
    impostorCount: n,
    resolved: target * n >= 1,
  };
}

const view = new DataView(new ArrayBuffer(8));

/** The smallest double greater than x (finite x). */
function nextUp(x: number): number {
  if (x === 0) return Number.MIN_VALUE;
  view.setFloat64(0, x);
  const bits = view.getBigInt64(0);
  view.setBigInt64(0, x > 0 ? bits + 1n : bits - 1n);
  return view.getFloat64(0);
}
