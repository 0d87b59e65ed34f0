import { inverseRegularizedBeta } from './regularized-beta.js';
import { checkCounts, type ProportionInterval } from './wilson-interval.js';

/**
 * Clopper-Pearson ("exact") interval for a proportion: the beta quantiles B(a/2; k, n-k+1) and
 * B(1-a/2; k+1, n-k). Conservative (coverage >= confidence); use it to claim a FAR bound, e.g. 0 false
 * accepts in 300 impostors only shows FAR < 1.2% at 95%.
 *
 * @example
 * clopperPearsonInterval(0, 300).upper; // 0.01222
 */
export function clopperPearsonInterval(
  successes: number,
  trials: number,
  confidence = 0.95,
): ProportionInterval {
  checkCounts(successes, trials, confidence);
  const alpha = 1 - confidence;
  const lower = successes === 0 ? 0 : inverseRegularizedBeta(alpha / 2, successes, trials - successes + 1);
  const upper =
    successes === trials ? 1 : inverseRegularizedBeta(1 - alpha / 2, successes + 1, trials - successes);
  return { estimate: successes / trials, lower, upper, confidence, method: 'clopper-pearson' };
}
