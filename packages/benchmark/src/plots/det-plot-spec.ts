import { probit, type VerificationReport } from '@mfr/metrics';
import { type NamedReport, type PlotOptions, type PlotSpec, SCHEMA, toNamedReports } from './types.js';

const TICKS = [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 0.8, 0.9, 0.95, 0.98, 0.99];

/**
 * DET curves (FRR against FAR on probit axes, where Gaussian score distributions give straight lines), one
 * line per report. The axes are probit values labelled as percentages (Vega's cumulativeNormal).
 *
 * @example
 * const svg = await renderSvg(detPlotSpec([{ name: 'LFW', report: lfw }]));
 */
export function detPlotSpec(
  reports: VerificationReport | readonly (VerificationReport | NamedReport)[],
  options: PlotOptions = {},
): PlotSpec {
  const values: { x: number; y: number; name: string; order: number }[] = [];
  for (const { name, report } of toNamedReports(reports)) {
    const label = `${name} (EER ${(100 * report.eer).toFixed(2)}%)`;
    report.curves.farProbit.forEach((x, i) => {
      values.push({ x, y: report.curves.frrProbit[i], name: label, order: i });
    });
  }
  const tickValues = TICKS.map(probit);
  const axis = (title: string) => ({
    title,
    values: tickValues,
    labelExpr: "format(cumulativeNormal(datum.value) * 100, '.3~r') + '%'",
    grid: true,
  });
  return {
    $schema: SCHEMA,
    title: options.title ?? 'DET',
    width: options.width ?? 360,
    height: options.height ?? 300,
    data: { values },
    mark: { type: 'line' },
    encoding: {
      x: {
        field: 'x',
        type: 'quantitative',
        axis: axis('FAR'),
        scale: { domain: [tickValues[0], tickValues.at(-1)], clamp: true },
      },
      y: {
        field: 'y',
        type: 'quantitative',
        axis: axis('FRR'),
        scale: { domain: [tickValues[0], tickValues.at(-1)], clamp: true },
      },
      color: { field: 'name', type: 'nominal', title: null, legend: { orient: 'bottom', labelLimit: 400 } },
      order: { field: 'order', type: 'quantitative' },
    },
  } as PlotSpec;
}
