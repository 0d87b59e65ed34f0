import type { VerificationReport } from '@mfr/metrics';
import { type NamedReport, type PlotOptions, type PlotSpec, SCHEMA, toNamedReports } from './types.js';

/** Options of rocPlotSpec. */
export interface RocPlotOptions extends PlotOptions {
  /** Logarithmic FAR axis (default false); points with FAR = 0 are then left out. */
  logFar?: boolean;
}

/**
 * ROC curves (TAR = 1 - FRR against FAR), one line per report, in one Vega-Lite plot.
 *
 * @example
 * rocPlotSpec([{ name: 'LFW', report: lfw }, { name: 'ORL', report: orl }], { logFar: true });
 */
export function rocPlotSpec(
  reports: VerificationReport | readonly (VerificationReport | NamedReport)[],
  options: RocPlotOptions = {},
): PlotSpec {
  const logFar = options.logFar ?? false;
  const values: { far: number; tar: number; name: string; order: number }[] = [];
  for (const { name, report } of toNamedReports(reports)) {
    const label = `${name} (EER ${(100 * report.eer).toFixed(2)}%, AUC ${report.auc.toFixed(3)})`;
    report.curves.far.forEach((far, i) => {
      if (logFar && far <= 0) return;
      values.push({ far, tar: report.curves.tar[i], name: label, order: i });
    });
  }
  return {
    $schema: SCHEMA,
    title: options.title ?? 'ROC',
    width: options.width ?? 360,
    height: options.height ?? 300,
    data: { values },
    mark: { type: 'line', interpolate: 'linear' },
    encoding: {
      x: {
        field: 'far',
        type: 'quantitative',
        title: 'FAR (false accept rate)',
        scale: logFar ? { type: 'log' } : { domain: [0, 1] },
      },
      y: { field: 'tar', type: 'quantitative', title: 'TAR (1 - FRR)', scale: { domain: [0, 1] } },
      color: { field: 'name', type: 'nominal', title: null, legend: { orient: 'bottom', labelLimit: 400 } },
      order: { field: 'order', type: 'quantitative' },
    },
  } as PlotSpec;
}
