import type { OperatingPoints } from './types.js';

/**
 * Area under the ROC curve by the trapezoid rule over all operating points; equals the Mann-Whitney
 * probability P(genuine > impostor) + 0.5 P(genuine = impostor) (ties count half).
 *
 * @example
 * auc(points); // 1 for perfect separation, 0.5 for chance, 0 for inverted scores
 */
export function auc(points: OperatingPoints): number {
  const { falseAccepts: fa, trueAccepts: ta, length } = points;
  let area = 0;
  for (let k = 1; k < length; k++) area += (fa[k] - fa[k - 1]) * (ta[k] + ta[k - 1]);
  return area / (2 * points.genuineTotal * points.impostorTotal);
}
