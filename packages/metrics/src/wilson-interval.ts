import { probit } from './probit.js';

/** A proportion with a two-sided confidence interval. */
export interface ProportionInterval {
  /** successes / trials */
  estimate: number;
  lower: number;
  upper: number;
  /** Confidence level, e.g. 0.95. */
  confidence: number;
  method: 'wilson' | 'clopper-pearson';
}

/**
 * Wilson score interval for a proportion (e.g. FAR = false accepts / impostors). Good coverage even for
 * counts near 0, unlike the normal approximation; narrower than Clopper-Pearson.
 *
 * @example
 * wilsonInterval(5, 10); // { estimate: 0.5, lower: 0.2366, upper: 0.7634, ... }
 */
export function wilsonInterval(successes: number, trials: number, confidence = 0.95): ProportionInterval {
  checkCounts(successes, trials, confidence);
  const z = probit(1 - (1 - confidence) / 2);
  const p = successes / trials;
  const z2n = (z * z) / trials;
  const center = (p + z2n / 2) / (1 + z2n);
  const half = (z / (1 + z2n)) * Math.sqrt((p * (1 - p)) / trials + (z * z) / (4 * trials * trials));
  return {
    estimate: p,
    lower: successes === 0 ? 0 : Math.max(0, center - half),
    upper: successes === trials ? 1 : Math.min(1, center + half),
    confidence,
    method: 'wilson',
  };
}

/** @internal */
export function checkCounts(successes: number, trials: number, confidence: number): void {
  if (!(Number.isInteger(trials) && trials > 0))
    throw new RangeError(`trials must be a positive integer, got ${trials}.`);
  if (!(successes >= 0 && successes <= trials)) {
    throw new RangeError(`successes must be in [0, trials=${trials}], got ${successes}.`);
  }
  if (!(confidence > 0 && confidence < 1))
    throw new RangeError(`confidence must be in (0, 1), got ${confidence}.`);
}
