/** Options of svgToPng. */
export interface SvgToPngOptions {
  /** Output width in pixels (default: the SVG's own width); the height keeps the aspect ratio. */
  width?: number;
  /** Background colour (default 'white'; SVGs from Vega are transparent). */
  background?: string;
}

/**
 * Rasterises SVG text to a PNG buffer with @resvg/resvg-js (native, no browser), e.g. for README images.
 *
 * @example
 * await writeFile('roc.png', await svgToPng(await renderSvg(rocPlotSpec(report)), { width: 1200 }));
 */
export async function svgToPng(svg: string, options: SvgToPngOptions = {}): Promise<Buffer> {
  const { Resvg } = await import('@resvg/resvg-js');
  const resvg = new Resvg(svg, {
    background: options.background ?? 'white',
    fitTo: options.width ? { mode: 'width', value: options.width } : { mode: 'original' },
    font: { loadSystemFonts: true },
  });
  return resvg.render().asPng();
}
