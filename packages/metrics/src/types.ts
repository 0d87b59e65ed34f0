/** Scores as any numeric array; they are copied into a Float64Array once. */
export type ScoreArray = Float64Array | Float32Array | readonly number[];

/** Labels: 1 = genuine (same person), 0 = impostor (different people). */
export type LabelArray =
  | Uint8Array
  | Int8Array
  | Int32Array
  | Float64Array
  | readonly number[]
  | readonly boolean[];

/** Scores already split by class. */
export interface SplitScores {
  genuine: ScoreArray;
  impostor: ScoreArray;
}

/** Scores with one 0/1 label each (1 = same person). */
export interface LabelledScores {
  scores: ScoreArray;
  labels: LabelArray;
}

/** Either form of verification input. */
export type VerificationInput = SplitScores | LabelledScores;

/** Score direction. */
export interface DirectionOptions {
  /**
   * true (default): higher score = more likely the same person (similarities); the match rule is
   * `score >= threshold`. false: lower score = more likely the same person (distances); the rule is
   * `score <= threshold`.
   */
  higherIsMatch?: boolean;
}

/**
 * Every threshold a classifier can use on these scores, as cumulative error counts.
 * Internal scores are "oriented" (negated for distances) so higher always means match and the rule is
 * `oriented >= threshold`. Index 0 is threshold +Infinity (accept nothing); each later index is one distinct
 * score value, in decreasing order; the last accepts everything. Counts may be weighted (bootstrap).
 */
export interface OperatingPoints {
  /** Oriented thresholds, decreasing. */
  threshold: Float64Array;
  /** False accepts (impostor scores >= threshold), nondecreasing. */
  falseAccepts: Float64Array;
  /** True accepts (genuine scores >= threshold), nondecreasing. */
  trueAccepts: Float64Array;
  /** Number of operating points. */
  length: number;
  /** Total genuine weight (count). */
  genuineTotal: number;
  /** Total impostor weight (count). */
  impostorTotal: number;
}
