import { seededRandom, sortScores } from '@mfr/metrics';
import { describe, expect, it } from 'vitest';

describe('sortScores', () => {
  it('radix path equals the built-in numeric sort on mixed signs, ties, zeros and extremes', () => {
    const random = seededRandom(4);
    const n = 70_000; // above the radix threshold
    const values = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const u = random();
      values[i] =
        u < 0.1
          ? Math.round(random() * 10) / 10
          : u < 0.2
            ? -random() * 1e300
            : (random() - 0.5) * 10 ** (random() * 20 - 10);
    }
    values.set([0, -0, Number.MAX_VALUE, -Number.MAX_VALUE, Number.MIN_VALUE, -Number.MIN_VALUE], 0);
    const expected = values.slice().sort();
    const sorted = sortScores(values);
    expect(sorted).toBe(values);
    expect(Array.from(sorted)).toEqual(Array.from(expected));
    expect(Object.is(sorted[sorted.indexOf(0)], -0)).toBe(true); // -0 comes first, as in the built-in sort
  });
  it('radix path handles all-equal keys (every pass trivial) and small arrays', () => {
    expect(Array.from(sortScores(new Float64Array(40_000).fill(0.25))).every((v) => v === 0.25)).toBe(true);
    expect(Array.from(sortScores(Float64Array.of(0.3, -1, 0.2)))).toEqual([-1, 0.2, 0.3]);
  });
});
