import type { VerificationReport } from '@mfr/metrics';
import type { TopLevelSpec } from 'vega-lite';

/** A Vega-Lite specification (what the *PlotSpec functions return and renderSvg takes). */
export type PlotSpec = TopLevelSpec;

/** A report with the name shown in legends (e.g. the dataset or model). */
export interface NamedReport {
  name: string;
  report: VerificationReport;
}

/** Common plot options. */
export interface PlotOptions {
  /** Title above the plot. */
  title?: string;
  /** Plot area width in pixels (default 360). */
  width?: number;
  /** Plot area height in pixels (default 300). */
  height?: number;
}

/** @internal reports given as one, a list, or named. */
export function toNamedReports(
  reports: VerificationReport | readonly (VerificationReport | NamedReport)[],
): NamedReport[] {
  const list = Array.isArray(reports) ? reports : [reports as VerificationReport];
  return list.map((entry, i) =>
    'report' in entry && 'name' in entry
      ? (entry as NamedReport)
      : { name: `scores ${i + 1}`, report: entry as VerificationReport },
  );
}

export const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';
