import type { OperatingPoints } from './types.js';

/**
 * Threshold-sweep EER: where the piecewise-linear curve through all operating points (FAR, FRR) crosses
 * FAR = FRR, linearly interpolated between the last point with FAR < FRR and the first with FAR >= FRR.
 * This is what `sklearn.metrics.roc_curve` plus an interpolation (e.g. `brentq(1 - x - interp1d(fpr, tpr))`)
 * and pyeer compute. It is >= the ROCCH EER, equal when the curve is convex around the crossing.
 *
 * @example
 * eerSweep(operatingPoints(genuineSorted, impostorSorted)); // e.g. 0.0667
 */
export function eerSweep(points: OperatingPoints): number {
  return crossing(points, null, points.length);
}

/**
 * @internal FRR=FAR crossing of the polyline through the points listed by `order` (all points when null).
 * Both ends are fixed: index 0 is (FAR 0, FRR 1) and the last is (FAR 1, FRR 0), so a crossing exists.
 */
export function crossing(points: OperatingPoints, order: Int32Array | null, count: number): number {
  const { falseAccepts, trueAccepts, impostorTotal: nI, genuineTotal: nG } = points;
  let prevX = 0;
  let prevD = 1;
  for (let j = 0; j < count; j++) {
    const k = order === null ? j : order[j];
    const x = falseAccepts[k] / nI;
    const y = (nG - trueAccepts[k]) / nG;
    const d = y - x;
    if (d <= 0) {
      if (j === 0 || d === 0) return x;
      // the segment from (prevX, prevX + prevD) to (x, y) meets y = x at fraction t
      const t = prevD / (prevD - d);
      return prevX + t * (x - prevX);
    }
    prevX = x;
    prevD = d;
  }
  return prevX;
}
