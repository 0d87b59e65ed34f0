export { detPlotSpec } from './det-plot-spec.js';
export { farFrrPlotSpec } from './far-frr-plot-spec.js';
export { metricsPlotSpec } from './metrics-plot-spec.js';
export { renderSvg } from './render-svg.js';
export { type RocPlotOptions, rocPlotSpec } from './roc-plot-spec.js';
export { type SvgToPngOptions, svgToPng } from './svg-to-png.js';
export type { NamedReport, PlotOptions, PlotSpec } from './types.js';
