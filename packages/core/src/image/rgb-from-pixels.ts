import type { RgbPixels } from './types.js';

/**
 * RGB or RGBA bytes (an `ImageData`, a canvas's pixels) as RGB pixels: RGBA drops its alpha, RGB is copied.
 * Throws when the data fits neither layout (the message starts with `what`).
 *
 * @example
 * const { data } = rgbFromPixels(ctx.getImageData(0, 0, w, h)); // data.length === w * h * 3
 */
export function rgbFromPixels(
  input: { data: ArrayLike<number>; width: number; height: number },
  what = 'rgbFromPixels',
): RgbPixels {
  const { data, width, height } = input;
  const n = width * height;
  if (data.length === n * 3) return { data: Uint8Array.from(data), width, height, channels: 3 };
  if (data.length !== n * 4) {
    throw new Error(
      `${what}: pixel data of ${width}x${height} should hold ${n * 3} (RGB) or ${n * 4} (RGBA) bytes, got ${data.length}`,
    );
  }
  const rgb = new Uint8Array(n * 3);
  for (let i = 0; i < n; i++) {
    rgb[3 * i] = data[4 * i];
    rgb[3 * i + 1] = data[4 * i + 1];
    rgb[3 * i + 2] = data[4 * i + 2];
  }
  return { data: rgb, width, height, channels: 3 };
}
