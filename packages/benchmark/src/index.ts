// cli-support: shared helpers of the `mfr` commands; plots: Vega-Lite specs and headless rendering
export * from './cli-support/index.js';
export * from './plots/index.js';
