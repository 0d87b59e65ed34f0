// The accuracy study's S-norm (bench/accuracy/score-norm.ts) against scores whose statistics are known.
import { describe, expect, it } from 'vitest';
import { cohortStats, type PairScorer, pickCohort, sNorm } from '../bench/accuracy/score-norm.js';
import type { FaceVectors } from '../bench/accuracy/vectors.js';

// an image is one number; the scorer is asymmetric, so swapping the sides would show
const image = (x: number): FaceVectors => ({
  faceres: Float32Array.of(x),
  faceapi: Float32Array.of(0),
});
const scorer: PairScorer = (refs, probes) =>
  Float32Array.from(refs, (r, i) => r.faceres[0] - 2 * probes[i].faceres[0]);

describe('S-norm', () => {
  it('picks a deterministic, evenly spread cohort', () => {
    expect(pickCohort([1, 2, 3, 4, 5, 6], 3)).toEqual([1, 3, 5]);
    expect(pickCohort([1, 2, 3], 10)).toEqual([1, 2, 3]);
  });

  it("gives each image the mean and spread of its scores against the cohort, on the image's side", () => {
    const images = [0, 1, 5].map(image);
    // more images than fit one call, so the chunking is exercised too
    const cohort = Array.from({ length: 700 }, (_, k) => image(k % 7));
    const cohortValues = Array.from({ length: 700 }, (_, k) => k % 7);
    const meanOf = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const stdOf = (xs: number[]) => Math.sqrt(meanOf(xs.map((x) => (x - meanOf(xs)) ** 2)));
    const asRef = cohortStats(scorer, images, cohort, 'reference');
    const asProbe = cohortStats(scorer, images, cohort, 'probe');
    for (const [i, x] of [0, 1, 5].entries()) {
      const refScores = cohortValues.map((c) => x - 2 * c);
      const probeScores = cohortValues.map((c) => c - 2 * x);
      expect(asRef.mean[i]).toBeCloseTo(meanOf(refScores), 4);
      expect(asRef.std[i]).toBeCloseTo(stdOf(refScores), 4);
      expect(asProbe.mean[i]).toBeCloseTo(meanOf(probeScores), 4);
      expect(asProbe.std[i]).toBeCloseTo(stdOf(probeScores), 4);
    }
  });

  it('averages the two sides of a z-score', () => {
    expect(sNorm(2, { mean: 0, std: 1 }, { mean: 1, std: 2 })).toBeCloseTo(1.25, 10);
    // a probe that scores high against everyone loses that offset on its side
    expect(sNorm(5, { mean: 5, std: 1 }, { mean: 5, std: 1 })).toBe(0);
  });
});
