import { type FarRule, maxFalseAccepts } from './max-false-accepts.js';
import { toUserThreshold } from './oriented-scores.js';
import type { OperatingPoints } from './types.js';
import { type ProportionInterval, wilsonInterval } from './wilson-interval.js';

/** FRR at a FAR target (FRR100 is target 0.01, FRR1000 is 0.001). */
export interface FrrAtFar {
  /** The FAR target. */
  farTarget: number;
  /** Lowest FRR over all thresholds whose FAR satisfies the target. */
  frr: number;
  /** The threshold achieving it, in the caller's units (Infinity = accept nothing). */
  threshold: number;
  /** FAR actually achieved at that threshold (<= target). */
  achievedFar: number;
  falseAccepts: number;
  falseRejects: number;
  /**
   * false when the target is below the FAR resolution 1/impostorCount (e.g. 1e-4 with 500 impostors): only
   * FAR = 0 qualifies and the number says little; about 3/target impostors are needed to show FAR <= target.
   */
  resolved: boolean;
  /** Wilson interval of the FRR at that threshold. */
  frrInterval: ProportionInterval;
}

/**
 * The lowest FRR over all thresholds with FAR <= target (rule 'at-most', default) or FAR < target
 * ('below'), with its threshold: never the "nearest point", which may have FAR above the target.
 * Binary search over the operating points (FAR is nondecreasing along them).
 *
 * @example
 * frrAtFar(points, 0.01, true); // { frr: 0.2524, threshold: 0.6327, achievedFar: 0.00999, ... }
 */
export function frrAtFar(
  points: OperatingPoints,
  target: number,
  higherIsMatch = true,
  rule: FarRule = 'at-most',
  confidence = 0.95,
): FrrAtFar {
  const { falseAccepts, trueAccepts, threshold, impostorTotal: nI, genuineTotal: nG } = points;
  const allowed = maxFalseAccepts(target, nI, rule);
  // last index with falseAccepts <= allowed; index 0 (accept nothing) always qualifies when allowed >= 0
  let lo = 0;
  let hi = points.length - 1;
  if (allowed < 0) {
    throw new RangeError(`FAR target ${target} with rule 'below' allows no threshold (FAR must be < 0).`);
  }
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (falseAccepts[mid] <= allowed) lo = mid;
    else hi = mid - 1;
  }
  const falseRejects = nG - trueAccepts[lo];
  return {
    farTarget: target,
    frr: falseRejects / nG,
    threshold: toUserThreshold(threshold[lo], higherIsMatch),
    achievedFar: falseAccepts[lo] / nI,
    falseAccepts: falseAccepts[lo],
    falseRejects,
    resolved: target * nI >= 1,
    frrInterval: wilsonInterval(Math.round(falseRejects), nG, confidence),
  };
}
