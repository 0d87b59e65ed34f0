import { readFileSync } from 'node:fs';
import { auc, eerSweep, operatingPoints, orientedScores, verificationReport } from '@mfr/metrics';
import { describe, expect, it } from 'vitest';

interface SklearnCase {
  name: string;
  scores: number[];
  labels: number[];
  fpr: number[];
  tpr: number[];
  thresholds: (number | null)[];
  auc: number;
  eer: number;
  fnrAtFprOnePercent: number;
}

// produced by fixtures/generate-sklearn-fixture.py (scikit-learn roc_curve, drop_intermediate=False)
const fixture = JSON.parse(readFileSync(new URL('./fixtures/sklearn-roc.json', import.meta.url), 'utf8')) as {
  sklearn: string;
  cases: SklearnCase[];
};

describe(`cross-check against scikit-learn ${fixture.sklearn}`, () => {
  it('has the three fixture cases', () => {
    expect(fixture.cases.map((c) => c.name)).toEqual([
      'gaussian-distinct',
      'gaussian-ties',
      'overlap-bimodal',
    ]);
  });
  for (const c of fixture.cases) {
    describe(c.name, () => {
      const input = { scores: c.scores, labels: c.labels };
      const s = orientedScores(input);
      const points = operatingPoints(s.genuine, s.impostor);

      it('operating points equal roc_curve (thresholds, fpr, tpr)', () => {
        expect(points.length).toBe(c.fpr.length);
        for (let k = 0; k < points.length; k++) {
          expect(points.threshold[k]).toBe(c.thresholds[k] ?? Number.POSITIVE_INFINITY);
          expect(points.falseAccepts[k] / points.impostorTotal).toBeCloseTo(c.fpr[k], 14);
          expect(points.trueAccepts[k] / points.genuineTotal).toBeCloseTo(c.tpr[k], 14);
        }
      });
      it('sweep EER equals the interpolated EER (brentq on interp1d(fpr, tpr))', () => {
        expect(eerSweep(points)).toBeCloseTo(c.eer, 9);
      });
      it('AUC equals roc_auc_score', () => {
        expect(auc(points)).toBeCloseTo(c.auc, 12);
      });
      it('FRR100 equals 1 - max tpr over fpr <= 1%; ROCCH EER <= sweep EER', () => {
        // scikit-learn's convention is fpr <= target; the report's default is the paper's FAR < target
        const report = verificationReport(input, { farRule: 'at-most' });
        expect(report.frr100.frr).toBeCloseTo(c.fnrAtFprOnePercent, 12);
        expect(report.frr100.achievedFar).toBeLessThanOrEqual(0.01);
        expect(report.eerRocch).toBeLessThanOrEqual(report.eerSweep + 1e-12);
      });
    });
  }
});
