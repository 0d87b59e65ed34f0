import { toUserThreshold } from './oriented-scores.js';
import { probit } from './probit.js';
import type { OperatingPoints } from './types.js';

/** Down-sampled curves, all arrays the same length, ordered by decreasing strictness (FAR increasing). */
export interface VerificationCurves {
  /** Thresholds in the caller's units (first is +-Infinity: accept nothing). */
  threshold: number[];
  far: number[];
  frr: number[];
  /** True accept rate = 1 - FRR (ROC y axis). */
  tar: number[];
  /** probit(FAR) and probit(FRR) for DET plots; rates of 0 or 1 are clamped to half a count (0.5/n). */
  farProbit: number[];
  frrProbit: number[];
}

/**
 * Chooses at most `maxPoints` operating points for plotting (O(maxPoints log n)): half evenly spaced along the
 * sweep, half at log-spaced FAR levels (so the low-FAR end of ROC and DET plots keeps its detail), plus both
 * ends and `mustInclude` (e.g. the EER point).
 *
 * @example
 * const curves = downsampleCurves(points, 1000, true);
 * curves.far.length <= 1000; // true
 */
export function downsampleCurves(
  points: OperatingPoints,
  maxPoints = 1000,
  higherIsMatch = true,
  mustInclude: readonly number[] = [],
): VerificationCurves {
  const n = points.length;
  const { falseAccepts: fa, trueAccepts: ta, impostorTotal: nI, genuineTotal: nG } = points;
  const chosen = new Set<number>([0, n - 1, ...mustInclude.filter((k) => k >= 0 && k < n)]);
  const budget = Math.max(2, maxPoints - chosen.size);
  if (n <= maxPoints) for (let k = 0; k < n; k++) chosen.add(k);
  else {
    const even = Math.ceil(budget / 2);
    for (let i = 0; i < even; i++) chosen.add(Math.round((i * (n - 1)) / Math.max(1, even - 1)));
    const logCount = budget - even;
    const lowest = Math.log10(1 / nI);
    for (let i = 0; i < logCount; i++) {
      const allowed = 10 ** (lowest + (-lowest * i) / Math.max(1, logCount - 1)) * nI;
      // last point with falseAccepts <= allowed
      let lo = 0;
      let hi = n - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >>> 1;
        if (fa[mid] <= allowed + 1e-9) lo = mid;
        else hi = mid - 1;
      }
      chosen.add(lo);
    }
  }
  const indices = Int32Array.from(chosen).sort();
  const threshold: number[] = [];
  const far: number[] = [];
  const frr: number[] = [];
  const tar: number[] = [];
  const farProbit: number[] = [];
  const frrProbit: number[] = [];
  const clamp = (p: number, total: number) => Math.min(Math.max(p, 0.5 / total), 1 - 0.5 / total);
  for (const k of indices) {
    const x = fa[k] / nI;
    const y = (nG - ta[k]) / nG;
    threshold.push(toUserThreshold(points.threshold[k], higherIsMatch));
    far.push(x);
    frr.push(y);
    tar.push(1 - y);
    farProbit.push(probit(clamp(x, nI)));
    frrProbit.push(probit(clamp(y, nG)));
  }
  return { threshold, far, frr, tar, farProbit, frrProbit };
}
