import { readFileSync } from 'node:fs';
import * as metrics from '@mfr/metrics';
import { describe, expect, it } from 'vitest';

// Every ```ts block of the README runs against the package (imports replaced by the module's exports).
const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);

describe('README examples', () => {
  it('has examples', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(4);
  });
  blocks.forEach((code, i) => {
    it(`example ${i + 1} runs`, () => {
      const body = code.replace(/^import .*$/gm, '');
      const names = Object.keys(metrics);
      const run = new Function(...names, `${body}\nreturn undefined;`);
      expect(() => run(...names.map((n) => (metrics as Record<string, unknown>)[n]))).not.toThrow();
    });
  });
  it('the quick-start numbers in the README are the real ones', () => {
    const report = metrics.verificationReport({
      genuine: [0.91, 0.84, 0.77, 0.62, 0.55],
      impostor: [0.12, 0.33, 0.41, 0.58, 0.25, 0.19, 0.47, 0.05],
    });
    expect(report.eer).toBeCloseTo(1 / 13, 12);
    expect(report.eerSweep).toBeCloseTo(0.125, 12);
    expect(report.eerThreshold).toBe(0.55);
    expect(report.eerFar).toBe(0.125);
    expect(report.eerFrr).toBe(0);
    expect(report.auc).toBeCloseTo(0.975, 12);
    expect(report.dPrime).toBeCloseTo(2.86, 2);
  });
});
