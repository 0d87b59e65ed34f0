import {
  auc,
  eerOperatingPoint,
  eerRocch,
  frrAtFar,
  operatingPoints,
  orientedScores,
  verificationReport,
} from '@mfr/metrics';
import { describe, expect, it } from 'vitest';
import { integerScores } from './helpers.js';

// Independent O(n^2) definitions, checked on random small sets with many ties.
function rates(genuine: number[], impostor: number[], t: number) {
  return {
    far: impostor.filter((s) => s >= t).length / impostor.length,
    frr: genuine.filter((s) => s < t).length / genuine.length,
  };
}

describe('agrees with brute-force definitions on random tied scores', () => {
  for (let seed = 1; seed <= 25; seed++) {
    it(`seed ${seed}`, () => {
      const genuine = integerScores(5 + (seed % 7) * 3, 12, seed % 4, seed * 2);
      const impostor = integerScores(8 + (seed % 5) * 4, 12, 0, seed * 2 + 1);
      const thresholds = [Number.POSITIVE_INFINITY, ...new Set([...genuine, ...impostor])].sort(
        (a, b) => b - a,
      );
      const s = orientedScores({ genuine, impostor });
      const p = operatingPoints(s.genuine, s.impostor);
      // every threshold reproduces the brute-force rates
      expect(Array.from(p.threshold)).toEqual(thresholds);
      for (let k = 0; k < p.length; k++) {
        const r = rates(genuine, impostor, p.threshold[k]);
        expect(p.falseAccepts[k] / impostor.length).toBeCloseTo(r.far, 12);
        expect(1 - p.trueAccepts[k] / genuine.length).toBeCloseTo(r.frr, 12);
      }
      // AUC = Mann-Whitney with ties counted half
      let wins = 0;
      for (const g of genuine) for (const m of impostor) wins += g > m ? 1 : g === m ? 0.5 : 0;
      expect(auc(p)).toBeCloseTo(wins / (genuine.length * impostor.length), 12);
      // FRR at FAR <= target: min FRR over all thresholds allowed
      for (const target of [0, 0.05, 0.1, 0.25, 0.5]) {
        const best = Math.min(
          ...thresholds
            .map((t) => rates(genuine, impostor, t))
            .filter((r) => r.far <= target + 1e-12)
            .map((r) => r.frr),
        );
        expect(frrAtFar(p, target).frr).toBeCloseTo(best, 12);
      }
      // EER operating point minimises max(FAR, FRR)
      const minimax = Math.min(
        ...thresholds.map((t) => rates(genuine, impostor, t)).map((r) => Math.max(r.far, r.frr)),
      );
      const op = eerOperatingPoint(p);
      expect(Math.max(op.far, op.frr)).toBeCloseTo(minimax, 12);
      // ROCCH EER = the lowest FAR=FRR crossing of any segment joining two operating points (randomised thresholds)
      const pts = thresholds.map((t) => rates(genuine, impostor, t));
      let hullEer = 1;
      for (const a of pts) {
        for (const b of pts) {
          const da = a.frr - a.far;
          const db = b.frr - b.far;
          if (da >= 0 && db <= 0 && da - db > 0)
            hullEer = Math.min(hullEer, a.far + (da / (da - db)) * (b.far - a.far));
          if (da === 0) hullEer = Math.min(hullEer, a.far);
        }
      }
      expect(eerRocch(p)).toBeCloseTo(hullEer, 12);
      const report = verificationReport({ genuine, impostor });
      expect(report.eerRocch).toBeLessThanOrEqual(report.eerSweep + 1e-12);
      expect(report.eerSweep).toBeLessThanOrEqual(minimax + 1e-12);
    });
  }
});
