import { toScoreArray } from './to-score-array.js';
import type { DirectionOptions, ScoreArray } from './types.js';

/** How a genuine score tied with impostor scores is ranked. */
export type TieRule = 'pessimistic' | 'optimistic' | 'expected';

/** Per-trial counts of impostor scores better than and equal to the genuine score. */
export interface IdentificationRanks {
  /** Impostor candidates scoring strictly better than the genuine one, per trial. */
  better: Int32Array;
  /** Impostor candidates scoring exactly equal to the genuine one, per trial. */
  tied: Int32Array;
  /** Candidates per trial (1 genuine + impostors). */
  candidates: number;
}

/** Options of identificationRanks. */
export interface IdentificationRanksOptions extends DirectionOptions {
  /** Gallery size per trial (genuine included); scores is trials x candidates, row-major. */
  candidates: number;
  /** Column of the genuine candidate in each row: one number for all rows or one per row (default 0). */
  genuineColumn?: number | ArrayLike<number>;
}

/**
 * Counts, for each identification trial (one probe against `candidates` gallery entries, exactly one of them
 * the same person), how many impostors score better than and tie with the genuine candidate. Row-major score
 * matrix, no per-trial objects. Feed the result to cmcCurve / rankAccuracy / validationPrecision.
 *
 * @example
 * // 2 trials x 3 candidates, genuine in column 0
 * identificationRanks([0.9, 0.5, 0.1,  0.4, 0.8, 0.4], { candidates: 3 });
 * // better [0, 1], tied [0, 1]
 */
export function identificationRanks(
  scores: ScoreArray,
  options: IdentificationRanksOptions,
): IdentificationRanks {
  const { candidates, genuineColumn = 0, higherIsMatch = true } = options;
  if (!(Number.isInteger(candidates) && candidates >= 1))
    throw new RangeError(`candidates must be an integer >= 1, got ${candidates}.`);
  const values = toScoreArray(scores, 'scores');
  if (values.length === 0 || values.length % candidates !== 0) {
    throw new RangeError(
      `scores has ${values.length} entries, not a non-empty multiple of candidates=${candidates} (trials x candidates, row-major).`,
    );
  }
  const trials = values.length / candidates;
  if (typeof genuineColumn !== 'number' && genuineColumn.length !== trials) {
    throw new RangeError(`genuineColumn has ${genuineColumn.length} entries for ${trials} trials.`);
  }
  const better = new Int32Array(trials);
  const tied = new Int32Array(trials);
  for (let t = 0; t < trials; t++) {
    const column = typeof genuineColumn === 'number' ? genuineColumn : genuineColumn[t];
    if (!(Number.isInteger(column) && column >= 0 && column < candidates)) {
      throw new RangeError(
        `genuine column of trial ${t} is ${column}; it must be an integer in [0, ${candidates}).`,
      );
    }
    const row = t * candidates;
    const genuine = values[row + column];
    let b = 0;
    let e = 0;
    for (let c = 0; c < candidates; c++) {
      if (c === column) continue;
      const s = values[row + c];
      if (higherIsMatch ? s > genuine : s < genuine) b++;
      else if (s === genuine) e++;
    }
    better[t] = b;
    tied[t] = e;
  }
  return { better, tied, candidates };
}

/**
 * @internal probability that trial t's genuine candidate is within the top k under the tie rule: pessimistic
 * puts it after its ties, optimistic before, expected averages over a uniformly random order of the ties.
 */
export function withinTopK(better: number, tied: number, k: number, ties: TieRule): number {
  if (ties === 'optimistic') return better + 1 <= k ? 1 : 0;
  if (ties === 'pessimistic') return better + tied + 1 <= k ? 1 : 0;
  return Math.min(1, Math.max(0, (k - better) / (tied + 1)));
}
