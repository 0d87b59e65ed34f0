import {
  auc,
  eerOperatingPoint,
  eerRocch,
  eerSweep,
  operatingPoints,
  orientedScores,
  verificationReport,
} from '@mfr/metrics';
import { describe, expect, it } from 'vitest';

const points = (genuine: number[], impostor: number[]) => {
  const s = orientedScores({ genuine, impostor });
  return operatingPoints(s.genuine, s.impostor);
};

describe('hand-worked cases', () => {
  it('all distinct: operating points, EER 0.25 at threshold 0.7, AUC', () => {
    // merged, descending: .9G .8G .75I .7G .5I .4G .3I .1I
    const genuine = [0.9, 0.8, 0.7, 0.4];
    const impostor = [0.1, 0.3, 0.5, 0.75];
    const p = points(genuine, impostor);
    expect(Array.from(p.threshold)).toEqual([
      Number.POSITIVE_INFINITY,
      0.9,
      0.8,
      0.75,
      0.7,
      0.5,
      0.4,
      0.3,
      0.1,
    ]);
    expect(Array.from(p.falseAccepts)).toEqual([0, 0, 0, 1, 1, 2, 2, 3, 4]);
    expect(Array.from(p.trueAccepts)).toEqual([0, 1, 2, 2, 3, 3, 4, 4, 4]);
    const r = verificationReport({ genuine, impostor });
    expect(r.eerSweep).toBeCloseTo(0.25, 12);
    expect(r.eerRocch).toBeCloseTo(0.25, 12);
    expect(r.eerThreshold).toBe(0.7);
    expect([r.eerFar, r.eerFrr]).toEqual([0.25, 0.25]);
    // P(G > I): .9 and .8 beat all 4, .7 beats 3, .4 beats 2 -> 13/16
    expect(r.auc).toBeCloseTo(13 / 16, 12);
    expect(r.genuineCount).toBe(4);
    expect(r.impostorCount).toBe(4);
  });

  it('a non-convex ROC: ROCCH EER 1/3 < sweep EER 2/3, and the EER threshold is the dominating point', () => {
    // .9G .8I .7I .6G .5G .1I -> (FAR, FRR): (0,1) (0,2/3) (1/3,2/3) (2/3,2/3) (2/3,1/3) (2/3,0) (1,0)
    const p = points([0.9, 0.6, 0.5], [0.8, 0.7, 0.1]);
    expect(eerSweep(p)).toBeCloseTo(2 / 3, 12);
    // hull segment (0, 2/3) -> (2/3, 0) meets FAR = FRR at 1/3
    expect(eerRocch(p)).toBeCloseTo(1 / 3, 12);
    const best = eerOperatingPoint(p);
    expect(p.threshold[best.index]).toBe(0.9);
    expect(best.far).toBe(0);
    expect(best.frr).toBeCloseTo(2 / 3, 12);
    expect(auc(p)).toBeCloseTo(5 / 9, 12);
  });

  it('interpolates the sweep EER inside a segment', () => {
    // genuine [.5 .5 .9], impostor [.5 .1]: (0,1) (0,2/3) (1/2,0) (1,0); segment (0,2/3)-(1/2,0) meets y=x at 2/7
    const r = verificationReport({ genuine: [0.5, 0.5, 0.9], impostor: [0.5, 0.1] });
    expect(r.eerSweep).toBeCloseTo(2 / 7, 12);
    expect(r.eerRocch).toBeCloseTo(2 / 7, 12);
    // ties count half: .9 beats both (2), each .5 ties one and beats one (1.5 + 1.5) -> 5/6
    expect(r.auc).toBeCloseTo(5 / 6, 12);
  });

  it('frrAtFar takes the lowest FRR with FAR <= target (farRule at-most), never a nearer point above it', () => {
    // 10 impostors; target 0.15 allows 1 false accept. The nearest point to 15% would be FAR 20%.
    const impostor = [0.95, 0.85, 0.5, 0.4, 0.35, 0.3, 0.25, 0.2, 0.15, 0.1];
    const genuine = [0.99, 0.9, 0.88, 0.8, 0.7, 0.6];
    const r = verificationReport({ genuine, impostor }, { farTargets: [0.15, 0.2], farRule: 'at-most' });
    const [at15, at20] = r.frrAtFar;
    expect(at15.achievedFar).toBe(0.1);
    expect(at15.falseAccepts).toBe(1);
    // threshold .88 accepts .99 .9 .88 and impostor .95 -> FRR 3/6
    expect(at15.threshold).toBe(0.88);
    expect(at15.frr).toBe(0.5);
    // target 0.2 allows 2: threshold .6 accepts all genuine and impostors .95 .85
    expect(at20.threshold).toBe(0.6);
    expect(at20.frr).toBe(0);
    expect(at20.achievedFar).toBe(0.2);
    // the default rule is the paper's 'below' (FAR < 0.2): it allows only 1
    const strict = verificationReport({ genuine, impostor }, { farTargets: [0.2] });
    expect(strict.frrAtFar[0].falseAccepts).toBe(1);
    expect(strict.frrAtFar[0].achievedFar).toBeLessThan(0.2);
  });

  it('frr100/frr1000 are FAR 1% / 0.1% and are flagged when the impostors cannot resolve them', () => {
    const genuine = Array.from({ length: 50 }, (_, i) => 0.5 + i / 100);
    const impostor = Array.from({ length: 500 }, (_, i) => i / 1000);
    const r = verificationReport({ genuine, impostor });
    expect(r.frr100.farTarget).toBe(0.01);
    // FAR < 1% of 500 impostors allows 4 false accepts (5 would be exactly 1%)
    expect(r.frr100.falseAccepts).toBe(4);
    expect(verificationReport({ genuine, impostor }, { farRule: 'at-most' }).frr100.falseAccepts).toBe(5);
    expect(r.frr100.resolved).toBe(true);
    expect(r.frr1000.farTarget).toBe(0.001);
    expect(r.frr1000.resolved).toBe(false); // 0.001 * 500 < 1
    expect(r.frrAtFar.map((e) => e.farTarget)).toEqual([0.01, 0.001, 0.0001]);
    expect(r.warnings.some((w) => w.includes('0.0001'))).toBe(true);
  });
});
