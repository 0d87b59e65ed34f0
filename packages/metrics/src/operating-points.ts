import type { OperatingPoints } from './types.js';

/**
 * All operating points from ascending-sorted oriented genuine and impostor scores, by one merge sweep from
 * the highest score down (O(n), no per-score objects). See OperatingPoints for the layout.
 *
 * @example
 * const p = operatingPoints(Float64Array.of(0.6, 0.9), Float64Array.of(0.1, 0.6));
 * // thresholds [Inf, 0.9, 0.6, 0.1], falseAccepts [0, 0, 1, 2], trueAccepts [0, 1, 2, 2]
 */
export function operatingPoints(genuineAsc: Float64Array, impostorAsc: Float64Array): OperatingPoints {
  const nG = genuineAsc.length;
  const nI = impostorAsc.length;
  const capacity = nG + nI + 1;
  const threshold = new Float64Array(capacity);
  const falseAccepts = new Float64Array(capacity);
  const trueAccepts = new Float64Array(capacity);
  threshold[0] = Number.POSITIVE_INFINITY;
  let g = nG - 1;
  let m = nI - 1;
  let k = 1;
  while (g >= 0 || m >= 0) {
    // the next lower distinct score; all scores equal to it are accepted together (ties never split)
    let t: number;
    if (m < 0 || (g >= 0 && genuineAsc[g] >= impostorAsc[m])) t = genuineAsc[g];
    else t = impostorAsc[m];
    while (g >= 0 && genuineAsc[g] === t) g--;
    while (m >= 0 && impostorAsc[m] === t) m--;
    threshold[k] = t;
    trueAccepts[k] = nG - 1 - g;
    falseAccepts[k] = nI - 1 - m;
    k++;
  }
  return {
    threshold: threshold.subarray(0, k),
    falseAccepts: falseAccepts.subarray(0, k),
    trueAccepts: trueAccepts.subarray(0, k),
    length: k,
    genuineTotal: nG,
    impostorTotal: nI,
  };
}
