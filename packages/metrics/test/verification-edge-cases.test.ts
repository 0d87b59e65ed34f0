import { splitByLabel, thresholdAtFar, verificationReport } from '@mfr/metrics';
import { describe, expect, it } from 'vitest';

describe('bad input is rejected with a clear error', () => {
  it('empty classes', () => {
    expect(() => verificationReport({ genuine: [], impostor: [0.1] })).toThrow(/no genuine scores/);
    expect(() => verificationReport({ genuine: [0.1], impostor: [] })).toThrow(/no impostor scores/);
    expect(() => verificationReport({ scores: [0.1, 0.2], labels: [1, 1] })).toThrow(/no impostor scores/);
  });
  it('NaN and infinite scores name the index', () => {
    expect(() => verificationReport({ genuine: [0.5, Number.NaN], impostor: [0.1] })).toThrow(
      /genuine\[1\] is NaN/,
    );
    expect(() =>
      verificationReport({ genuine: [0.5], impostor: [0.1, 0.2, Number.POSITIVE_INFINITY] }),
    ).toThrow(/impostor\[2\] is Infinity/);
    expect(() => verificationReport({ scores: [0.5, Number.NEGATIVE_INFINITY], labels: [1, 0] })).toThrow(
      /scores\[1\]/,
    );
  });
  it('labels other than 0/1 and mismatched lengths', () => {
    expect(() => splitByLabel([0.1, 0.2, 0.3], [1, 2, 0])).toThrow(/labels\[1\] is 2/);
    expect(() => splitByLabel([0.1, 0.2], [1, -1])).toThrow(/labels\[1\] is -1/);
    expect(() => splitByLabel([0.1, 0.2], [1])).toThrow(/2 scores but 1 labels/);
    expect(splitByLabel(Float64Array.of(0.1, 0.2), Uint8Array.of(0, 1))).toEqual({
      genuine: Float64Array.of(0.2),
      impostor: Float64Array.of(0.1),
    });
    expect(splitByLabel([0.1, 0.2], [true, false]).genuine).toEqual(Float64Array.of(0.1));
  });
  it('bad options', () => {
    expect(() => verificationReport({ genuine: [1], impostor: [0] }, { farTargets: [1.5] })).toThrow(
      /\[0, 1\]/,
    );
    expect(() => verificationReport({ genuine: [1], impostor: [0] }, { curvePoints: 1 })).toThrow(
      /curvePoints/,
    );
  });
});

describe('degenerate score sets are handled', () => {
  it('all scores equal: EER 0.5, AUC 0.5, FRR100 1 at threshold Infinity', () => {
    const r = verificationReport({ genuine: [1, 1], impostor: [1, 1, 1] });
    expect(r.eerSweep).toBe(0.5);
    expect(r.eerRocch).toBe(0.5);
    expect(r.auc).toBe(0.5);
    expect(r.frr100.frr).toBe(1);
    expect(r.frr100.threshold).toBe(Number.POSITIVE_INFINITY);
    expect(r.dPrime).toBe(0);
  });
  it('perfect separation: EER 0 with a threshold that separates', () => {
    const r = verificationReport({ genuine: [0.8, 0.9], impostor: [0.1, 0.2] });
    expect(r.eer).toBe(0);
    expect(r.eerSweep).toBe(0);
    expect(r.eerThreshold).toBe(0.8);
    expect([r.eerFar, r.eerFrr]).toEqual([0, 0]);
    expect(r.auc).toBe(1);
    expect(r.frr100.frr).toBe(0);
    expect(r.frr100.threshold).toBe(0.8);
    // two impostors cannot resolve any of the three default FAR targets
    expect(r.warnings).toHaveLength(3);
  });
  it('inverted scores: sweep EER 1, ROCCH EER 0.5 (chance by randomising), AUC 0 and a warning', () => {
    const r = verificationReport({ genuine: [0.1, 0.2], impostor: [0.8, 0.9] });
    expect(r.eerSweep).toBe(1);
    expect(r.eerRocch).toBeCloseTo(0.5, 12);
    expect(r.auc).toBe(0);
    expect(r.dPrime).toBeLessThan(0);
    expect(r.warnings.join(' ')).toMatch(/score direction/);
  });
  it('distances (higherIsMatch false) give the same rates as negated similarities, thresholds in distance units', () => {
    const genuine = [0.1, 0.25, 0.3, 0.6];
    const impostor = [0.2, 0.5, 0.7, 0.8, 0.9];
    const d = verificationReport({ genuine, impostor }, { higherIsMatch: false });
    const s = verificationReport({ genuine: genuine.map((x) => -x), impostor: impostor.map((x) => -x) });
    expect(d.matchRule).toBe('score <= threshold');
    expect(d.eer).toBe(s.eer);
    expect(d.eerThreshold).toBe(-s.eerThreshold);
    expect(d.auc).toBe(s.auc);
    expect(d.dPrime).toBeCloseTo(s.dPrime, 12);
    expect(d.frr100.threshold).toBe(-s.frr100.threshold);
    expect(d.genuine.mean).toBeCloseTo(0.3125, 12);
    // the distance threshold reproduces the rates under `distance <= threshold`
    const t = d.eerThreshold;
    expect(genuine.filter((x) => x > t).length / genuine.length).toBe(d.eerFrr);
    expect(impostor.filter((x) => x <= t).length / impostor.length).toBe(d.eerFar);
    expect(d.auc).toBeGreaterThan(0.5);
  });
  it('the curves are bounded, monotone and include both ends', () => {
    const genuine = Array.from({ length: 3000 }, (_, i) => Math.sin(i) * 0.3 + 0.6);
    const impostor = Array.from({ length: 5000 }, (_, i) => Math.cos(i * 1.3) * 0.3 + 0.3);
    const r = verificationReport({ genuine, impostor }, { curvePoints: 200 });
    const { far, frr, threshold, farProbit } = r.curves;
    expect(far.length).toBeLessThanOrEqual(200);
    expect(far[0]).toBe(0);
    expect(frr[0]).toBe(1);
    expect(far.at(-1)).toBe(1);
    expect(frr.at(-1)).toBe(0);
    for (let i = 1; i < far.length; i++) {
      expect(far[i]).toBeGreaterThanOrEqual(far[i - 1]);
      expect(frr[i]).toBeLessThanOrEqual(frr[i - 1]);
      expect(threshold[i]).toBeLessThan(threshold[i - 1]);
    }
    expect(farProbit.every(Number.isFinite)).toBe(true);
    expect(threshold).toContain(r.eerThreshold);
  });
});

describe('thresholdAtFar', () => {
  it('returns the most lenient threshold with FAR <= target on the impostors', () => {
    const impostor = [0.1, 0.2, 0.3, 0.9];
    const c = thresholdAtFar(impostor, 0.25);
    expect(c.falseAccepts).toBe(1);
    expect(c.achievedFar).toBe(0.25);
    expect(c.threshold).toBeGreaterThan(0.3);
    expect(c.threshold).toBeLessThan(0.3 + 1e-15);
    expect(thresholdAtFar(impostor, 0).threshold).toBeGreaterThan(0.9);
    expect(thresholdAtFar(impostor, 1).threshold).toBe(Number.NEGATIVE_INFINITY);
  });
  it('tied impostors at the cut are all rejected', () => {
    const c = thresholdAtFar([0.5, 0.5, 0.5, 0.1], 0.5);
    expect(c.falseAccepts).toBe(0);
    expect(c.threshold).toBeGreaterThan(0.5);
  });
  it('distances: accept when distance <= threshold', () => {
    const c = thresholdAtFar([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.2, { higherIsMatch: false });
    expect(c.falseAccepts).toBe(2);
    expect(c.threshold).toBeLessThan(3);
    expect(c.threshold).toBeGreaterThan(2.9999999);
  });
  it('flags targets the calibration set cannot resolve', () => {
    const c = thresholdAtFar(
      Array.from({ length: 500 }, (_, i) => i),
      1e-4,
    );
    expect(c.resolved).toBe(false);
    expect(c.falseAccepts).toBe(0);
    expect(() => thresholdAtFar([], 0.01)).toThrow(/empty/);
  });
});
