import type { OperatingPoints } from './types.js';

/**
 * Indices of the operating points on the ROC convex hull (ROCCH): the lower-left convex boundary of the
 * (FAR, FRR) points from (0, 1) to (1, 0), as in bob.measure's `rocch`. Any point on a hull segment is
 * achievable by randomly choosing between the two end thresholds. Monotone chain, O(n).
 *
 * @example
 * const hull = rocConvexHull(points); // Int32Array of indices into points, FAR increasing
 */
export function rocConvexHull(points: OperatingPoints): Int32Array {
  const { falseAccepts, trueAccepts, impostorTotal: nI, genuineTotal: nG, length } = points;
  const hull = new Int32Array(length);
  let h = 0;
  for (let k = 0; k < length; k++) {
    const x = falseAccepts[k] / nI;
    const y = (nG - trueAccepts[k]) / nG;
    while (h >= 2) {
      const a = hull[h - 2];
      const b = hull[h - 1];
      const ax = falseAccepts[a] / nI;
      const ay = (nG - trueAccepts[a]) / nG;
      const bx = falseAccepts[b] / nI;
      const by = (nG - trueAccepts[b]) / nG;
      // keep b only when a -> b -> k turns counter-clockwise (strictly convex)
      const cross = (bx - ax) * (y - ay) - (by - ay) * (x - ax);
      if (cross <= 0) h--;
      else break;
    }
    hull[h++] = k;
  }
  return hull.slice(0, h);
}
