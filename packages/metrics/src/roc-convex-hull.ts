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
  const { falseAccepts: fa, trueAccepts: ta, length } = points;
  const hull = new Int32Array(length);
  let h = 0;
  // the turn direction does not change when the axes are scaled, so work in counts: x = false accepts,
  // y = -true accepts (FRR up to scale and offset); integer products are exact in doubles below 2^53
  for (let k = 0; k < length; k++) {
    while (h >= 2) {
      const a = hull[h - 2];
      const b = hull[h - 1];
      // keep b only when a -> b -> k turns counter-clockwise (strictly convex)
      const cross = (fa[b] - fa[a]) * (ta[a] - ta[k]) - (ta[a] - ta[b]) * (fa[k] - fa[a]);
      if (cross <= 0) h--;
      else break;
    }
    hull[h++] = k;
  }
  return hull.slice(0, h);
}
