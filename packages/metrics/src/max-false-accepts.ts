/** How FAR is compared with a target. */
export type FarRule = 'at-most' | 'below';

/**
 * The largest number of false accepts allowed by a FAR target over `impostorCount` impostor scores:
 * `at-most` (default) allows FAR <= target (ISO/IEC 19795-1's FNMR at FMR, scikit-learn's
 * `fpr <= target`), `below` allows FAR < target (the paper's "FRR at FAR < 1%" read literally).
 * A tiny tolerance absorbs floating-point error in target * count (0.01 * 300 is 3.0000000000000004).
 *
 * @example
 * maxFalseAccepts(0.01, 1000); // 10
 * maxFalseAccepts(0.01, 1000, 'below'); // 9
 * maxFalseAccepts(1e-4, 500); // 0: only FAR = 0 qualifies
 */
export function maxFalseAccepts(target: number, impostorCount: number, rule: FarRule = 'at-most'): number {
  if (!(target >= 0 && target <= 1)) throw new RangeError(`FAR target must be in [0, 1], got ${target}.`);
  const exact = target * impostorCount;
  const tolerance = 1e-9 * Math.max(1, exact);
  if (rule === 'below') return Math.max(-1, Math.ceil(exact - tolerance) - 1);
  return Math.floor(exact + tolerance);
}
