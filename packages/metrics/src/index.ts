// @mfr/metrics: verification and identification statistics from scores of any face matcher. No tfjs, no deps.
export { auc } from './auc.js';
export {
  type BootstrapEerOptions,
  bootstrapEer,
  type EerInterval,
  type ScoreIdentities,
} from './bootstrap-eer.js';
export { clopperPearsonInterval } from './clopper-pearson-interval.js';
export { cmcCurve, rankAccuracy } from './cmc-curve.js';
export { dPrime, type ScoreSummary, summarizeScores } from './d-prime.js';
export { downsampleCurves, type VerificationCurves } from './downsample-curves.js';
export { eerOperatingPoint, type OperatingPointIndex } from './eer-operating-point.js';
export { eerRocch } from './eer-rocch.js';
export { eerSweep } from './eer-sweep.js';
export {
  type ErrorRates,
  type ErrorRatesOptions,
  errorRatesAtThreshold,
} from './error-rates-at-threshold.js';
export { type FrrAtFar, frrAtFar } from './frr-at-far.js';
export {
  type IdentificationRanks,
  type IdentificationRanksOptions,
  identificationRanks,
  type TieRule,
} from './identification-ranks.js';
export { type FarRule, maxFalseAccepts } from './max-false-accepts.js';
export { normalCdf } from './normal-cdf.js';
export { operatingPoints } from './operating-points.js';
export { type OrientedScores, orientedScores } from './oriented-scores.js';
export { probit } from './probit.js';
export { inverseRegularizedBeta, regularizedBeta } from './regularized-beta.js';
export { rocConvexHull } from './roc-convex-hull.js';
export { seededRandom } from './seeded-random.js';
export { sortScores } from './sort-scores.js';
export { splitByLabel } from './split-by-label.js';
export { type CalibratedThreshold, type ThresholdAtFarOptions, thresholdAtFar } from './threshold-at-far.js';
export { toScoreArray } from './to-score-array.js';
export type {
  DirectionOptions,
  LabelArray,
  LabelledScores,
  OperatingPoints,
  ScoreArray,
  SplitScores,
  VerificationInput,
} from './types.js';
export { type ValidationPrecisionOptions, validationPrecision } from './validation-precision.js';
export {
  type VerificationReport,
  type VerificationReportOptions,
  verificationReport,
} from './verification-report.js';
export { type ProportionInterval, wilsonInterval } from './wilson-interval.js';
