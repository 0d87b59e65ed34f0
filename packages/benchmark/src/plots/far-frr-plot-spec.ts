import type { VerificationReport } from '@mfr/metrics';
import { type PlotOptions, type PlotSpec, SCHEMA } from './types.js';

/**
 * FAR and FRR against the threshold (Vega-Lite), with the EER threshold marked by a vertical rule.
 * Infinite thresholds (accept nothing / everything) are left out.
 *
 * @example
 * const svg = await renderSvg(farFrrPlotSpec(verificationReport({ genuine, impostor })));
 */
export function farFrrPlotSpec(report: VerificationReport, options: PlotOptions = {}): PlotSpec {
  const { curves } = report;
  const values: { threshold: number; rate: number; curve: string }[] = [];
  for (let i = 0; i < curves.threshold.length; i++) {
    const threshold = curves.threshold[i];
    if (!Number.isFinite(threshold)) continue;
    values.push({ threshold, rate: curves.far[i], curve: 'FAR (impostors accepted)' });
    values.push({ threshold, rate: curves.frr[i], curve: 'FRR (genuine rejected)' });
  }
  const direction = report.higherIsMatch ? 'accept if score >= threshold' : 'accept if score <= threshold';
  return {
    $schema: SCHEMA,
    title: options.title ?? `FAR and FRR vs threshold (EER ${(100 * report.eer).toFixed(2)}%)`,
    width: options.width ?? 360,
    height: options.height ?? 300,
    layer: [
      {
        data: { values },
        mark: { type: 'line', interpolate: 'step-after' },
        encoding: {
          x: {
            field: 'threshold',
            type: 'quantitative',
            title: `threshold (${direction})`,
            scale: { zero: false },
          },
          y: { field: 'rate', type: 'quantitative', title: 'error rate', scale: { domain: [0, 1] } },
          color: { field: 'curve', type: 'nominal', title: null, legend: { orient: 'top', labelLimit: 300 } },
        },
      },
      {
        data: { values: Number.isFinite(report.eerThreshold) ? [{ threshold: report.eerThreshold }] : [] },
        mark: { type: 'rule', strokeDash: [4, 4], color: 'gray' },
        encoding: { x: { field: 'threshold', type: 'quantitative' } },
      },
    ],
  } as PlotSpec;
}
