import type { PlotSpec } from './types.js';

/**
 * Compiles a Vega-Lite spec and renders it to SVG text headlessly (vega's View with renderer 'none'; no
 * browser or canvas needed). vega and vega-lite are loaded on first use.
 *
 * @example
 * const svg = await renderSvg(rocPlotSpec(report));
 * await writeFile('roc.svg', svg);
 */
export async function renderSvg(spec: PlotSpec): Promise<string> {
  const [vega, vegaLite] = await Promise.all([import('vega'), import('vega-lite')]);
  const compiled = vegaLite.compile(spec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
