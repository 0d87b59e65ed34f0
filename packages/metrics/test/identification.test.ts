import { cmcCurve, identificationRanks, rankAccuracy, validationPrecision } from '@mfr/metrics';
import { describe, expect, it } from 'vitest';

describe('identification ranks and CMC', () => {
  // 3 trials x 4 candidates; genuine in column 0
  const matrix = [
    [0.9, 0.1, 0.2, 0.3], // rank 1
    [0.5, 0.7, 0.5, 0.1], // one better, one tied: rank 2 (optimistic) .. 3 (pessimistic)
    [0.2, 0.3, 0.4, 0.6], // rank 4
  ].flat();
  const ranks = identificationRanks(matrix, { candidates: 4 });

  it('counts better and tied impostors', () => {
    expect(Array.from(ranks.better)).toEqual([0, 1, 3]);
    expect(Array.from(ranks.tied)).toEqual([0, 1, 0]);
  });
  it('CMC under each tie rule', () => {
    expect(Array.from(cmcCurve(ranks))).toEqual([1 / 3, 1 / 3, 2 / 3, 1]);
    expect(Array.from(cmcCurve(ranks, 4, 'optimistic'))).toEqual([1 / 3, 2 / 3, 2 / 3, 1]);
    expect(Array.from(cmcCurve(ranks, 4, 'expected'))).toEqual([1 / 3, 0.5, 2 / 3, 1]);
    expect(rankAccuracy(ranks, 1)).toBeCloseTo(1 / 3, 12);
    expect(cmcCurve(ranks, 2)).toHaveLength(2);
  });
  it('genuine column per trial and distances', () => {
    const r = identificationRanks([0.1, 0.9, 0.5, 0.2], {
      candidates: 2,
      genuineColumn: [1, 0],
      higherIsMatch: false,
    });
    // trial 0: genuine 0.9 vs 0.1 (distance: lower better) -> 1 better; trial 1: genuine 0.5 vs 0.2 -> 1 better
    expect(Array.from(r.better)).toEqual([1, 1]);
    expect(() => identificationRanks([1, 2, 3], { candidates: 2 })).toThrow(/multiple/);
    expect(() => identificationRanks([1, 2], { candidates: 2, genuineColumn: 2 })).toThrow(/column/);
  });
});

describe('validationPrecision (1 authentic + 19 imposters)', () => {
  it('is the fraction of trials where the authentic pair scores highest; ties fail by default', () => {
    const authentic = [0.9, 0.4, 0.5];
    const imposters = [
      ...Array(19).fill(0.1), // win
      ...Array(18).fill(0.1),
      0.6, // loss
      ...Array(18).fill(0.1),
      0.5, // tie with one imposter
    ];
    expect(validationPrecision(authentic, imposters)).toBeCloseTo(1 / 3, 12);
    expect(validationPrecision(authentic, imposters, { ties: 'expected' })).toBeCloseTo((1 + 0.5) / 3, 12);
    expect(validationPrecision(authentic, imposters, { ties: 'optimistic' })).toBeCloseTo(2 / 3, 12);
  });
  it('constant scores give 0, not 1', () => {
    expect(validationPrecision([0.5, 0.5], Array(38).fill(0.5))).toBe(0);
    expect(validationPrecision([0.5, 0.5], Array(38).fill(0.5), { ties: 'expected' })).toBeCloseTo(
      1 / 20,
      12,
    );
  });
  it('checks shapes', () => {
    expect(() => validationPrecision([0.5], [0.1, 0.2])).toThrow(/19 scores per trial/);
    expect(validationPrecision([0.5], [0.1, 0.2], { impostersPerTrial: 2 })).toBe(1);
    expect(() => validationPrecision([], [])).toThrow(/at least one trial/);
  });
});
