import type { OperatingPoints } from './types.js';

/** One usable threshold and its error rates (oriented threshold; see OperatingPoints). */
export interface OperatingPointIndex {
  /** Index into the operating points. */
  index: number;
  far: number;
  frr: number;
}

/**
 * The operating point closest to the EER that a deployment can actually use: the one minimising
 * max(FAR, FRR); among equal maxima, the one with the lower other error (a dominated point is never chosen).
 * Its threshold is a real score value, so `score >= threshold` reproduces its FAR and FRR exactly.
 *
 * @example
 * const { index, far, frr } = eerOperatingPoint(points); // threshold: points.threshold[index]
 */
export function eerOperatingPoint(points: OperatingPoints): OperatingPointIndex {
  const { falseAccepts: fa, trueAccepts: ta, impostorTotal: nI, genuineTotal: nG, length } = points;
  // first index with FAR >= FRR (FAR rises, FRR falls along the sweep)
  let k = 0;
  while (k < length && fa[k] / nI < (nG - ta[k]) / nG) k++;
  let best: number;
  if (k === 0) best = 0;
  else if (k >= length) best = length - 1;
  else best = (nG - ta[k - 1]) / nG <= fa[k] / nI ? k - 1 : k;
  if (best === k) {
    // same FAR, more genuine accepted: walk to the end of the vertical run
    while (best + 1 < length && fa[best + 1] === fa[best]) best++;
  } else {
    // same FRR, fewer impostors accepted: walk back to the start of the horizontal run
    while (best > 0 && ta[best - 1] === ta[best]) best--;
  }
  return { index: best, far: fa[best] / nI, frr: (nG - ta[best]) / nG };
}
