import { crossing } from './eer-sweep.js';
import { rocConvexHull } from './roc-convex-hull.js';
import type { OperatingPoints } from './types.js';

/**
 * ROCCH EER (bob.measure's `eer_rocch`): where the ROC convex hull crosses FAR = FRR. The hull is what a
 * system can achieve by randomising between two thresholds, so this EER does not depend on how ties or
 * sparse points make the raw curve jagged; it is <= the sweep EER (eerSweep), equal when the raw curve is
 * convex around the crossing. With few scores the two can differ by about 1/n.
 *
 * @example
 * eerRocch(operatingPoints(genuineSorted, impostorSorted)); // e.g. 0.0666
 */
export function eerRocch(points: OperatingPoints): number {
  const hull = rocConvexHull(points);
  return crossing(points, hull, hull.length);
}
