/** Verification statistics of one dataset x model: pooled over folds, and mean/std over folds. */
import { type VerificationReport, verificationReport } from '@mfr/metrics';
import { nonFiniteAsRejections, type ScoreHealth, scoreHealth } from './score-health.js';

/** Headline numbers of one score set. */
export interface Headline {
  eer: number;
  frr100: number;
  /** True accept rate at FAR <= 1e-3 (1 - FRR1000). */
  tarAtFar1e3: number;
  pairs: number;
  /**
   * Whether the imposter pairs can resolve FAR 1% (at least 100 of them). When not, `frr100` is the FRR at zero
   * false accepts, a stricter point, and says nothing about FAR 1%.
   */
  frr100Resolved: boolean;
}

/** Statistics of one dataset x model. */
export interface ScoreStatistics extends Headline {
  authentic: number;
  imposter: number;
  auc: number;
  eerThreshold: number;
  /** Mean and standard deviation over folds (sample std; 0 with one fold). */
  folds: {
    count: number;
    eerMean: number;
    eerStd: number;
    frr100Mean: number;
    frr100Std: number;
    tarAtFar1e3Mean: number;
    tarAtFar1e3Std: number;
    /** Folds whose imposter pairs cannot resolve FAR 1% (their FRR100 is FRR at zero false accepts). */
    frr100Unresolved: number;
    perFold: ({ fold: number } & Headline)[];
  };
  /** The full report of the pooled scores (curves included, for plots). */
  report: VerificationReport;
  /**
   * Whether the scores look like a working model's (see scoreHealth). When not ok the numbers above describe a
   * broken model: NaN or infinite scores were counted as rejections, and constant scores give chance level.
   */
  health: ScoreHealth;
}

/**
 * Pooled and per-fold statistics of labelled scores (label 1 = same person). Folds with only one class are
 * left out of the fold means. A broken model's scores (NaN, infinite or all equal) do not throw: `health` says
 * what is wrong, and NaN or infinite scores count as rejections (see nonFiniteAsRejections).
 *
 * @example
 * const stats = scoreStatistics([0.9, 0.2, 0.8, 0.1], [1, 0, 1, 0], [1, 1, 2, 2]);
 * stats.eer; stats.folds.eerMean;
 */
export function scoreStatistics(
  rawScores: readonly number[],
  labels: readonly (0 | 1)[],
  folds: readonly number[],
): ScoreStatistics {
  const health = scoreHealth(rawScores);
  const scores = nonFiniteAsRejections(rawScores);
  const report = verificationReport({ scores, labels });
  const perFold: ({ fold: number } & Headline)[] = [];
  for (const fold of [...new Set(folds)].sort((a, b) => a - b)) {
    const idx = folds.map((f, i) => (f === fold ? i : -1)).filter((i) => i >= 0);
    const fl = idx.map((i) => labels[i]);
    if (!fl.includes(1) || !fl.includes(0)) continue;
    const r = verificationReport({ scores: idx.map((i) => scores[i]), labels: fl }, { curvePoints: 2 });
    perFold.push({ fold, ...headline(r) });
  }
  const stat = (key: 'eer' | 'frr100' | 'tarAtFar1e3') => meanStd(perFold.map((f) => f[key]));
  const [eerMean, eerStd] = stat('eer');
  const [frr100Mean, frr100Std] = stat('frr100');
  const [tarAtFar1e3Mean, tarAtFar1e3Std] = stat('tarAtFar1e3');
  return {
    ...headline(report),
    authentic: report.genuineCount,
    imposter: report.impostorCount,
    auc: report.auc,
    eerThreshold: report.eerThreshold,
    folds: {
      count: perFold.length,
      eerMean,
      eerStd,
      frr100Mean,
      frr100Std,
      tarAtFar1e3Mean,
      tarAtFar1e3Std,
      frr100Unresolved: perFold.filter((f) => !f.frr100Resolved).length,
      perFold,
    },
    report,
    health,
  };
}

function headline(r: VerificationReport): Headline {
  return {
    eer: r.eer,
    frr100: r.frr100.frr,
    tarAtFar1e3: 1 - r.frr1000.frr,
    pairs: r.genuineCount + r.impostorCount,
    frr100Resolved: r.frr100.resolved,
  };
}

/**
 * Mean and sample standard deviation (NaN for an empty list; std 0 for one value).
 *
 * @example
 * meanStd([1, 2, 3]); // [2, 1]
 */
export function meanStd(values: readonly number[]): [number, number] {
  if (values.length === 0) return [Number.NaN, Number.NaN];
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  if (values.length === 1) return [mean, 0];
  const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / (values.length - 1);
  return [mean, Math.sqrt(variance)];
}
