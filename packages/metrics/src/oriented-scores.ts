import { sortScores } from './sort-scores.js';
import { isSplitScores, splitByLabel } from './split-by-label.js';
import { toScoreArray } from './to-score-array.js';
import type { VerificationInput } from './types.js';

/** Genuine and impostor scores oriented so that higher = match, each sorted ascending. */
export interface OrientedScores {
  genuine: Float64Array;
  impostor: Float64Array;
  higherIsMatch: boolean;
}

/**
 * Validates verification input (either form), orients it (distances are negated so the rule is always
 * `oriented >= threshold`) and sorts each class ascending: the one O(n log n) step of every metric.
 * Throws when a class is empty.
 *
 * @example
 * const s = orientedScores({ genuine: [0.2, 0.1], impostor: [0.9] }, false);
 * // s.genuine = [-0.2, -0.1], s.impostor = [-0.9]
 */
export function orientedScores(input: VerificationInput, higherIsMatch = true): OrientedScores {
  if (input === null || typeof input !== 'object') {
    throw new TypeError('verification input must be { genuine, impostor } or { scores, labels }.');
  }
  let genuine: Float64Array;
  let impostor: Float64Array;
  if (isSplitScores(input)) {
    genuine = toScoreArray(input.genuine, 'genuine');
    impostor = toScoreArray(input.impostor, 'impostor');
  } else if ('scores' in input && 'labels' in input) {
    ({ genuine, impostor } = splitByLabel(input.scores, input.labels));
  } else {
    throw new TypeError('verification input must be { genuine, impostor } or { scores, labels }.');
  }
  if (genuine.length === 0) {
    throw new RangeError(
      'there are no genuine scores (label 1, same person): FRR and EER are undefined. Add same-person pairs.',
    );
  }
  if (impostor.length === 0) {
    throw new RangeError(
      'there are no impostor scores (label 0, different people): FAR and EER are undefined. Add different-person pairs.',
    );
  }
  if (!higherIsMatch) {
    for (let i = 0; i < genuine.length; i++) genuine[i] = -genuine[i];
    for (let i = 0; i < impostor.length; i++) impostor[i] = -impostor[i];
  }
  sortScores(genuine);
  sortScores(impostor);
  return { genuine, impostor, higherIsMatch };
}

/** @internal converts an oriented threshold back to the caller's units. */
export function toUserThreshold(oriented: number, higherIsMatch: boolean): number {
  return higherIsMatch ? oriented : -oriented;
}
