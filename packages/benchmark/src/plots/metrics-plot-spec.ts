import type { VerificationReport } from '@mfr/metrics';
import { farFrrPlotSpec } from './far-frr-plot-spec.js';
import { rocPlotSpec } from './roc-plot-spec.js';
import { type PlotOptions, type PlotSpec, SCHEMA } from './types.js';

/**
 * FAR/FRR-vs-threshold and ROC (log FAR) side by side: the figure `mfr metrics --plot` writes.
 *
 * @example
 * const svg = await renderSvg(metricsPlotSpec(report, { title: 'LFW masked vs unmasked' }));
 */
export function metricsPlotSpec(report: VerificationReport, options: PlotOptions = {}): PlotSpec {
  const strip = (spec: PlotSpec) => {
    const { $schema: _schema, ...rest } = spec as PlotSpec & { $schema?: string };
    return rest;
  };
  // the file title goes on top; the panels keep their own titles
  const inner = { width: options.width, height: options.height };
  return {
    $schema: SCHEMA,
    ...(options.title ? { title: options.title } : {}),
    hconcat: [
      strip(farFrrPlotSpec(report, inner)),
      strip(rocPlotSpec([{ name: 'scores', report }], { ...inner, logFar: true })),
    ],
    resolve: { scale: { color: 'independent' } },
  } as PlotSpec;
}
