import { normalCdf, probit, verificationReport } from '@mfr/metrics';
import { describe, expect, it } from 'vitest';
import { normalSamples } from './helpers.js';

describe('two equal-variance Gaussians (closed form)', () => {
  // genuine N(0.7, 0.1), impostor N(0.4, 0.1): d' = 3, EER = Phi(-1.5) = 0.0668
  const genuine = normalSamples(20_000, 0.7, 0.1, 11);
  const impostor = normalSamples(20_000, 0.4, 0.1, 12);
  const report = verificationReport({ genuine, impostor });

  it("EER = Phi(-d'/2) for the true d' and for the estimated d'", () => {
    const expected = normalCdf(-1.5);
    expect(expected).toBeCloseTo(0.0668072, 6);
    // sampling sd of the EER here is ~0.0015
    expect(Math.abs(report.eer - expected)).toBeLessThan(0.006);
    expect(Math.abs(report.eerSweep - expected)).toBeLessThan(0.006);
    expect(Math.abs(report.dPrime - 3)).toBeLessThan(0.05);
    expect(Math.abs(report.eer - normalCdf(-report.dPrime / 2))).toBeLessThan(0.006);
    // the EER threshold of equal variances lies halfway between the means
    expect(Math.abs(report.eerThreshold - 0.55)).toBeLessThan(0.01);
  });

  it('FRR at FAR 1% = Phi((mu_I + sigma probit(0.99) - mu_G) / sigma)', () => {
    const threshold = 0.4 + 0.1 * probit(0.99);
    const expected = normalCdf((threshold - 0.7) / 0.1);
    expect(expected).toBeCloseTo(0.2502, 3);
    expect(Math.abs(report.frr100.frr - expected)).toBeLessThan(0.02);
    expect(Math.abs(report.frr100.threshold - threshold)).toBeLessThan(0.01);
    expect(report.frr100.achievedFar).toBeLessThanOrEqual(0.01);
    expect(report.frr100.frrInterval.lower).toBeLessThan(report.frr100.frr);
  });

  it('AUC = Phi(d / sqrt 2) for equal variances', () => {
    expect(Math.abs(report.auc - normalCdf(3 / Math.SQRT2))).toBeLessThan(0.003);
  });
});
