import {
  clopperPearsonInterval,
  errorRatesAtThreshold,
  inverseRegularizedBeta,
  normalCdf,
  probit,
  regularizedBeta,
  wilsonInterval,
} from '@mfr/metrics';
import { describe, expect, it } from 'vitest';

describe('normal CDF and probit', () => {
  it('match reference values', () => {
    expect(normalCdf(0)).toBe(0.5);
    expect(normalCdf(1.959963984540054)).toBeCloseTo(0.975, 14);
    expect(normalCdf(-1)).toBeCloseTo(0.15865525393145707, 14);
    expect(normalCdf(-5)).toBeCloseTo(2.866515718791939e-7, 20);
    expect(normalCdf(-8) / 6.220960574271785e-16).toBeCloseTo(1, 10);
    expect(probit(0.975)).toBeCloseTo(1.959963984540054, 12);
    expect(probit(0.5)).toBeCloseTo(0, 14);
    expect(probit(0)).toBe(Number.NEGATIVE_INFINITY);
    expect(probit(1)).toBe(Number.POSITIVE_INFINITY);
    expect(Number.isNaN(probit(1.5))).toBe(true);
  });
  it('are inverses over both tails', () => {
    for (const x of [-7, -4.2, -2.5, -1, -0.3, 0.01, 0.7, 2, 3.3, 6]) {
      expect(probit(normalCdf(x))).toBeCloseTo(x, 7);
    }
    for (const p of [1e-10, 1e-4, 0.01, 0.3, 0.77, 0.99]) expect(normalCdf(probit(p)) / p).toBeCloseTo(1, 10);
  });
});

describe('regularized incomplete beta', () => {
  it('matches closed forms', () => {
    expect(regularizedBeta(0.5, 2, 2)).toBeCloseTo(0.5, 14);
    // I_x(1, b) = 1 - (1 - x)^b ; I_x(a, 1) = x^a
    expect(regularizedBeta(0.3, 1, 7)).toBeCloseTo(1 - 0.7 ** 7, 13);
    expect(regularizedBeta(0.3, 4, 1)).toBeCloseTo(0.3 ** 4, 13);
    expect(inverseRegularizedBeta(0.975, 1, 10)).toBeCloseTo(1 - 0.025 ** (1 / 10), 12);
  });
});

describe('proportion intervals', () => {
  it('Wilson matches textbook values', () => {
    const w = wilsonInterval(5, 10);
    expect(w.lower).toBeCloseTo(0.2365931, 6);
    expect(w.upper).toBeCloseTo(0.7634069, 6);
    const zero = wilsonInterval(0, 100);
    expect(zero.lower).toBe(0);
    expect(zero.upper).toBeCloseTo(0.03699, 4);
  });
  it('Clopper-Pearson matches exact values', () => {
    const cp = clopperPearsonInterval(5, 10);
    expect(cp.lower).toBeCloseTo(0.187086, 5);
    expect(cp.upper).toBeCloseTo(0.812914, 5);
    // 0 of n: upper = 1 - (alpha/2)^(1/n); n of n: lower = (alpha/2)^(1/n)
    expect(clopperPearsonInterval(0, 300).upper).toBeCloseTo(1 - 0.025 ** (1 / 300), 10);
    expect(clopperPearsonInterval(20, 20).lower).toBeCloseTo(0.025 ** (1 / 20), 10);
    // Clopper-Pearson is the wider (conservative) one
    expect(cp.upper - cp.lower).toBeGreaterThan(wilsonInterval(5, 10).upper - wilsonInterval(5, 10).lower);
  });
  it('reject impossible counts', () => {
    expect(() => wilsonInterval(3, 2)).toThrow(/successes/);
    expect(() => clopperPearsonInterval(1, 0)).toThrow(/trials/);
    expect(() => wilsonInterval(1, 2, 1.5)).toThrow(/confidence/);
  });
});

describe('errorRatesAtThreshold', () => {
  it('counts with the rule score >= threshold and attaches both intervals', () => {
    const r = errorRatesAtThreshold({ genuine: [0.9, 0.6, 0.5, 0.2], impostor: [0.1, 0.5, 0.3] }, 0.5);
    expect(r.falseRejects).toBe(1); // 0.2
    expect(r.falseAccepts).toBe(1); // 0.5 is accepted: >=
    expect(r.frr).toBe(0.25);
    expect(r.farWilson.estimate).toBeCloseTo(1 / 3, 12);
    expect(r.farClopperPearson.upper).toBeGreaterThan(r.farWilson.upper);
    const d = errorRatesAtThreshold({ scores: [0.9, 0.6, 0.1], labels: [0, 1, 1] }, 0.6, {
      higherIsMatch: false,
    });
    expect([d.falseAccepts, d.falseRejects]).toEqual([0, 0]);
  });
});
