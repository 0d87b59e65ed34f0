/**
 * The part of a 2D canvas that mask drawing uses. The browser's `CanvasRenderingContext2D` /
 * `OffscreenCanvasRenderingContext2D` and `@napi-rs/canvas` in Node (both Skia) provide it.
 */
export type MaskContext2D = Pick<
  CanvasRenderingContext2D,
  | 'setTransform'
  | 'fillRect'
  | 'createLinearGradient'
  | 'beginPath'
  | 'moveTo'
  | 'lineTo'
  | 'arc'
  | 'closePath'
  | 'fill'
  | 'stroke'
  | 'getImageData'
  | 'fillStyle'
  | 'strokeStyle'
  | 'lineWidth'
  | 'globalCompositeOperation'
> & { readonly canvas: { readonly width: number; readonly height: number } };
