import { auc } from './auc.js';
import { type BootstrapEerOptions, bootstrapEer, type EerInterval } from './bootstrap-eer.js';
import { dPrime, type ScoreSummary, summarizeScores } from './d-prime.js';
import { downsampleCurves, type VerificationCurves } from './downsample-curves.js';
import { eerOperatingPoint } from './eer-operating-point.js';
import { eerRocch } from './eer-rocch.js';
import { eerSweep } from './eer-sweep.js';
import { type FrrAtFar, frrAtFar } from './frr-at-far.js';
import type { FarRule } from './max-false-accepts.js';
import { operatingPoints } from './operating-points.js';
import { orientedScores, toUserThreshold } from './oriented-scores.js';
import type { DirectionOptions, VerificationInput } from './types.js';

/** Options of verificationReport. */
export interface VerificationReportOptions extends DirectionOptions {
  /** FAR targets for frrAtFar (default [0.01, 0.001, 0.0001]). frr100 and frr1000 are always computed. */
  farTargets?: readonly number[];
  /** Maximum points per down-sampled curve (default 1000). */
  curvePoints?: number;
  /** Which EER `eer` reports (default 'rocch'); both are always in eerRocch / eerSweep. */
  eerMethod?: 'rocch' | 'sweep';
  /** 'below' (default, the paper's FRR100 "lowest FRR with FAR < 1%"): FAR < target; 'at-most': FAR <= target (ISO/IEC 19795-1, scikit-learn). */
  farRule?: FarRule;
  /** Confidence level of the FRR intervals (default 0.95). */
  confidence?: number;
  /** When given, a seeded bootstrap interval of the EER is added as `eerInterval` (costs samples x O(n)). */
  bootstrap?: Omit<BootstrapEerOptions, 'higherIsMatch' | 'method' | 'confidence'>;
}

/** Everything about a verification score set. Thresholds are in the caller's units. */
export interface VerificationReport {
  /** 'score >= threshold' (similarities) or 'score <= threshold' (distances). */
  matchRule: 'score >= threshold' | 'score <= threshold';
  higherIsMatch: boolean;
  genuineCount: number;
  impostorCount: number;
  /** The EER by `eerMethod`. */
  eer: number;
  eerMethod: 'rocch' | 'sweep';
  /** ROC convex hull EER (bob.measure eer_rocch). */
  eerRocch: number;
  /** Threshold-sweep EER with linear interpolation (scikit-learn/pyeer style). */
  eerSweep: number;
  /** Threshold of the usable operating point nearest the EER (minimises max(FAR, FRR)). */
  eerThreshold: number;
  /** FAR and FRR at eerThreshold. */
  eerFar: number;
  eerFrr: number;
  /** FRR at FAR < 1% (the paper's FRR100; FAR <= 1% with farRule 'at-most'), with its threshold. */
  frr100: FrrAtFar;
  /** FRR at FAR < 0.1% (<= with farRule 'at-most'). */
  frr1000: FrrAtFar;
  /** One entry per FAR target. */
  frrAtFar: FrrAtFar[];
  /** Area under the ROC (ties count half). */
  auc: number;
  /** Decidability d', signed in the match direction. */
  dPrime: number;
  genuine: ScoreSummary;
  impostor: ScoreSummary;
  /** Down-sampled FAR/FRR-vs-threshold, ROC (far, tar) and DET (farProbit, frrProbit) curves. */
  curves: VerificationCurves;
  /** Bootstrap interval of the EER, when options.bootstrap was given. */
  eerInterval?: EerInterval;
  /** Plain-language cautions: inverted-looking scores, FAR targets the impostor count cannot resolve. */
  warnings: string[];
}

/**
 * Verification statistics of genuine and impostor scores: EER (ROCCH and sweep) with a usable threshold,
 * FRR at FAR targets, AUC, d', counts and plot-ready curves. Match rule: `score >= threshold`
 * (`score <= threshold` with higherIsMatch: false). O(n log n): one sort per class, then linear sweeps.
 *
 * @example
 * const report = verificationReport({ genuine: [0.9, 0.8, 0.4], impostor: [0.1, 0.5, 0.3] });
 * report.eer; report.eerThreshold; report.frr100.frr;
 * verificationReport({ scores: distances, labels }, { higherIsMatch: false });
 */
export function verificationReport(
  input: VerificationInput,
  options: VerificationReportOptions = {},
): VerificationReport {
  const {
    higherIsMatch = true,
    farTargets = [0.01, 0.001, 0.0001],
    curvePoints = 1000,
    eerMethod = 'rocch',
    farRule = 'below',
    confidence = 0.95,
  } = options;
  if (eerMethod !== 'rocch' && eerMethod !== 'sweep')
    throw new RangeError(`eerMethod must be 'rocch' or 'sweep', got ${String(eerMethod)}.`);
  if (!(Number.isInteger(curvePoints) && curvePoints >= 2))
    throw new RangeError(`curvePoints must be an integer >= 2, got ${curvePoints}.`);
  const oriented = orientedScores(input, higherIsMatch);
  const points = operatingPoints(oriented.genuine, oriented.impostor);
  const rocch = eerRocch(points);
  const sweep = eerSweep(points);
  const eerPoint = eerOperatingPoint(points);
  const genuine = summarizeScores(oriented.genuine);
  const impostor = summarizeScores(oriented.impostor);
  const at = (target: number) => frrAtFar(points, target, higherIsMatch, farRule, confidence);
  const report: VerificationReport = {
    matchRule: higherIsMatch ? 'score >= threshold' : 'score <= threshold',
    higherIsMatch,
    genuineCount: oriented.genuine.length,
    impostorCount: oriented.impostor.length,
    eer: eerMethod === 'rocch' ? rocch : sweep,
    eerMethod,
    eerRocch: rocch,
    eerSweep: sweep,
    eerThreshold: toUserThreshold(points.threshold[eerPoint.index], higherIsMatch),
    eerFar: eerPoint.far,
    eerFrr: eerPoint.frr,
    frr100: at(0.01),
    frr1000: at(0.001),
    frrAtFar: farTargets.map(at),
    auc: auc(points),
    dPrime: dPrime(genuine, impostor, true),
    genuine: higherIsMatch ? genuine : negateSummary(genuine),
    impostor: higherIsMatch ? impostor : negateSummary(impostor),
    curves: downsampleCurves(points, curvePoints, higherIsMatch, [eerPoint.index]),
    warnings: [],
  };
  if (report.auc < 0.5) {
    report.warnings.push(
      `AUC ${report.auc.toFixed(3)} < 0.5: impostors score as matches more often than genuine pairs; check the score direction (${higherIsMatch ? 'distances need higherIsMatch: false, --distance in the mfr CLI' : 'similarities need higherIsMatch: true'}).`,
    );
  }
  for (const entry of [report.frr100, report.frr1000, ...report.frrAtFar]) {
    const text = `FAR target ${entry.farTarget} is below 1/${report.impostorCount} impostors: only FAR = 0 qualifies; about ${Math.ceil(3 / entry.farTarget)} impostors are needed to support it.`;
    if (!entry.resolved && !report.warnings.includes(text)) report.warnings.push(text);
  }
  if (options.bootstrap) {
    report.eerInterval = bootstrapEer(input, {
      ...options.bootstrap,
      higherIsMatch,
      method: eerMethod,
      confidence,
    });
  }
  return report;
}

function negateSummary(summary: ScoreSummary): ScoreSummary {
  return {
    count: summary.count,
    mean: -summary.mean,
    std: summary.std,
    min: -summary.max,
    max: -summary.min,
  };
}
