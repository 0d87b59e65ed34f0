import {
  detPlotSpec,
  farFrrPlotSpec,
  metricsPlotSpec,
  renderSvg,
  rocPlotSpec,
  svgToPng,
} from '@mfr/benchmark';
import { verificationReport } from '@mfr/metrics';
import { describe, expect, it } from 'vitest';

const genuine = Array.from({ length: 300 }, (_, i) => 0.6 + 0.3 * Math.sin(i * 1.7));
const impostor = Array.from({ length: 900 }, (_, i) => 0.3 + 0.3 * Math.cos(i * 2.3));
const report = verificationReport({ genuine, impostor }, { curvePoints: 200 });
const other = verificationReport({ genuine: genuine.map((s) => s + 0.1), impostor }, { curvePoints: 200 });

describe('plot specs', () => {
  it('FAR/FRR vs threshold: both curves, finite thresholds only, EER rule', () => {
    const spec = farFrrPlotSpec(report) as {
      layer: { data: { values: { threshold: number; curve?: string }[] } }[];
    };
    const values = spec.layer[0].data.values;
    expect(values.every((v) => Number.isFinite(v.threshold))).toBe(true);
    expect(new Set(values.map((v) => v.curve)).size).toBe(2);
    expect(spec.layer[1].data.values).toEqual([{ threshold: report.eerThreshold }]);
  });
  it('ROC: one series per report; log FAR drops FAR = 0', () => {
    const spec = rocPlotSpec([
      { name: 'A', report },
      { name: 'B', report: other },
    ]) as { data: { values: { far: number; name: string }[] } };
    expect(new Set(spec.data.values.map((v) => v.name.split(' ')[0]))).toEqual(new Set(['A', 'B']));
    const log = rocPlotSpec(report, { logFar: true }) as { data: { values: { far: number }[] } };
    expect(log.data.values.every((v) => v.far > 0)).toBe(true);
  });
});

describe('rendering', () => {
  it('renders every spec to SVG with its axis titles', async () => {
    const far = await renderSvg(farFrrPlotSpec(report, { title: 'far-frr test' }));
    expect(far.startsWith('<svg')).toBe(true);
    expect(far).toContain('far-frr test');
    expect(far).toContain('error rate');
    const det = await renderSvg(
      detPlotSpec([
        { name: 'A', report },
        { name: 'B', report: other },
      ]),
    );
    expect(det).toContain('FRR');
    // probit axes labelled as percentages through vega's cumulativeNormal
    expect(det).toContain('50%');
    expect(det).toContain('1%');
    const both = await renderSvg(metricsPlotSpec(report, { title: 'both' }));
    expect(both).toContain('ROC');
    expect(both).toContain('TAR (1 - FRR)');
  });
  it('rasterises SVG to PNG', async () => {
    const png = await svgToPng(await renderSvg(rocPlotSpec(report)), { width: 400 });
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(png.readUInt32BE(16)).toBe(400); // IHDR width
  });
});
