/** A 2D context of the page's own canvas, for drawing and reading pixels in browsers and workers. */
export type PageContext2D = OffscreenCanvasRenderingContext2D | CanvasRenderingContext2D;

/**
 * A 2D drawing context on a new transparent `width` x `height` canvas: an `OffscreenCanvas` where there is one
 * (pages, workers), else a DOM `<canvas>`. Throws, naming `what`, where there is neither (Node: use a canvas
 * package there).
 *
 * @example
 * const ctx = pageContext2D(64, 64, 'thumbnail');
 * ctx.drawImage(bitmap, 0, 0, 64, 64);
 */
export function pageContext2D(width: number, height: number, what = 'pageContext2D'): PageContext2D {
  if (typeof OffscreenCanvas !== 'undefined') {
    const ctx = new OffscreenCanvas(width, height).getContext('2d', { willReadFrequently: true });
    if (ctx) return ctx;
  }
  if (typeof document !== 'undefined') {
    const canvas = document.createElement('canvas');
    canvas.width = width;
    canvas.height = height;
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    if (ctx) return ctx;
  }
  throw new Error(`${what} needs a 2D canvas: this runtime has neither OffscreenCanvas nor document.`);
}
