import { toScoreArray } from './to-score-array.js';
import type { LabelArray, ScoreArray, SplitScores } from './types.js';

/**
 * Splits labelled scores into genuine (label 1) and impostor (label 0) Float64Arrays, keeping order.
 * Throws on mismatched lengths, labels other than 0/1 (booleans are accepted) and non-finite scores.
 *
 * @example
 * splitByLabel([0.9, 0.1, 0.7], [1, 0, 1]); // { genuine: [0.9, 0.7], impostor: [0.1] }
 */
export function splitByLabel(
  scores: ScoreArray,
  labels: LabelArray,
): { genuine: Float64Array; impostor: Float64Array } {
  const values = toScoreArray(scores, 'scores');
  if (labels === null || labels === undefined || typeof labels.length !== 'number') {
    throw new TypeError('labels must be an array of 0/1 values (1 = same person), one per score.');
  }
  if (labels.length !== values.length) {
    throw new RangeError(
      `scores and labels must have the same length: ${values.length} scores but ${labels.length} labels.`,
    );
  }
  let genuineCount = 0;
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i] as number | boolean;
    if (label === 1 || label === true) genuineCount++;
    else if (label !== 0 && label !== false) {
      throw new RangeError(
        `labels[${i}] is ${String(label)}: labels must be 1 (same person) or 0 (different people).`,
      );
    }
  }
  const genuine = new Float64Array(genuineCount);
  const impostor = new Float64Array(values.length - genuineCount);
  let g = 0;
  let m = 0;
  for (let i = 0; i < values.length; i++) {
    const label = labels[i] as number | boolean;
    if (label === 1 || label === true) genuine[g++] = values[i];
    else impostor[m++] = values[i];
  }
  return { genuine, impostor };
}

/** @internal the split form, whichever form was given. */
export function isSplitScores(input: unknown): input is SplitScores {
  return typeof input === 'object' && input !== null && 'genuine' in input && 'impostor' in input;
}
