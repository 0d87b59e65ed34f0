import type { ScoreArray } from './types.js';

/**
 * Copies scores into a new Float64Array, rejecting NaN and infinite values by index.
 * `name` appears in the error ("genuine scores[12] is NaN").
 *
 * @example
 * toScoreArray([0.9, 0.2], 'genuine scores'); // Float64Array [0.9, 0.2]
 * toScoreArray([0.9, Number.NaN], 'genuine scores'); // throws: genuine scores[1] is NaN ...
 */
export function toScoreArray(values: ScoreArray, name: string): Float64Array {
  if (values === null || values === undefined || typeof (values as ArrayLike<number>).length !== 'number') {
    throw new TypeError(
      `${name} must be an array of numbers (Float64Array or number[]), got ${String(values)}.`,
    );
  }
  // the constructor copies typed arrays with a memcpy-like fast path (Float64Array.from iterates)
  const out = new Float64Array(values as ArrayLike<number>);
  for (let i = 0; i < out.length; i++) {
    const value = out[i];
    // NaN fails both comparisons; infinities are excluded explicitly
    if (!(value > Number.NEGATIVE_INFINITY && value < Number.POSITIVE_INFINITY)) {
      const raw = (values as ArrayLike<unknown>)[i];
      throw new RangeError(
        `${name}[${i}] is ${String(raw)}: every score must be a finite number. Remove or fix that pair before computing metrics.`,
      );
    }
  }
  return out;
}
