import type { RgbImage } from './types.js';

/**
 * The image with a border of `fraction` x its longer side on every side, filled with the image's mean grey.
 * Detectors miss tightly cropped faces (e.g. Extended Yale B crops): a border gives them the context they expect.
 * Returns the padded image and the border width in pixels (subtract it from coordinates found in it).
 *
 * @example
 * const { image: padded, offset } = padImage(crop, 0.3);
 */
export function padImage(image: RgbImage, fraction: number): { image: RgbImage; offset: number } {
  const offset = Math.round(Math.max(image.width, image.height) * fraction);
  const width = image.width + 2 * offset;
  const height = image.height + 2 * offset;
  let sum = 0;
  for (let i = 0; i < image.data.length; i++) sum += image.data[i];
  const data = new Uint8Array(width * height * 3).fill(Math.round(sum / Math.max(1, image.data.length)));
  const row = image.width * 3;
  for (let y = 0; y < image.height; y++) {
    data.set(image.data.subarray(y * row, (y + 1) * row), ((y + offset) * width + offset) * 3);
  }
  return { image: { data, width, height }, offset };
}
