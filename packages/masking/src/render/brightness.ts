import { luma } from './color.js';
import type { RgbImage } from './types.js';

/** Options of the brightness match (see `brightnessModel`). */
export interface BrightnessOptions {
  /** Skin luma (0-255) at which the mask keeps its nominal colour. Default 150 (well-lit skin). */
  readonly reference?: number;
  /** Exponent of the global scale (0: none, 1: proportional to the skin's luma). Default 0.6. */
  readonly strength?: number;
  /** Exponent of the shading (0: flat, 1: copy the skin's light falloff). Default 0.7. */
  readonly shading?: number;
}

/** Per-pixel multipliers for the mask colour over a rectangle of the image. */
export interface BrightnessModel {
  /** Median luma of the skin under the mask (0-255). */
  readonly skinLuma: number;
  /** The global factor: clamp((skinLuma / reference) ^ strength, 0.15, 1.05). */
  readonly gain: number;
  /** Multiplier for pixel (x, y): gain x local shading. */
  factor(x: number, y: number): number;
}

/**
 * Brightness matching, after MaskTheFace (which scales the mask's brightness to the face's). Rule:
 * 1. skinLuma = median Rec. 601 luma of the original pixels the mask will cover (its own lighting).
 * 2. gain = clamp((skinLuma / reference) ^ strength, 0.15, 1.05): a mask on a dim face is dim, on a
 *    well-lit face it keeps its colour (a white mask stays white).
 * 3. shading: a plane luma = a + b x + c y fitted by least squares to the covered pixels whose luma is
 *    within 0.5-1.6 x skinLuma (mouth, nostrils, beard and highlights left out), then
 *    shade = clamp((plane / skinLuma) ^ shading, 0.6, 1.3). Side light falls across the mask as across
 *    the face, while no facial feature shows through the fabric.
 * The mask colour is multiplied by gain x shade. `coverage` (0-255 per pixel) marks the mask.
 *
 * @example
 * const model = brightnessModel(image, coverage, box);
 * out = colour * model.factor(x, y);
 */
export function brightnessModel(
  image: RgbImage,
  coverage: Uint8Array,
  box: { x0: number; y0: number; x1: number; y1: number },
  options: BrightnessOptions = {},
): BrightnessModel {
  const { reference = 150, strength = 0.6, shading = 0.7 } = options;
  const { width, data } = image;
  const histogram = new Uint32Array(256);
  let count = 0;
  for (let y = box.y0; y < box.y1; y++) {
    for (let x = box.x0; x < box.x1; x++) {
      const p = y * width + x;
      if (coverage[p] < 128) continue;
      histogram[Math.min(255, Math.round(luma(data[3 * p], data[3 * p + 1], data[3 * p + 2])))]++;
      count++;
    }
  }
  if (count === 0) return { skinLuma: reference, gain: 1, factor: () => 1 };
  let acc = 0;
  let skinLuma = 1;
  for (let i = 0; i < 256; i++) {
    acc += histogram[i];
    if (acc * 2 >= count) {
      skinLuma = Math.max(1, i);
      break;
    }
  }
  const gain = Math.min(1.05, Math.max(0.15, (skinLuma / reference) ** strength));
  if (shading === 0) return { skinLuma, gain, factor: () => gain };

  // least-squares plane over the skin-like covered pixels; coordinates centred for conditioning
  const mx = (box.x0 + box.x1) / 2;
  const my = (box.y0 + box.y1) / 2;
  let n = 0;
  let sx = 0;
  let sy = 0;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  let sl = 0;
  let sxl = 0;
  let syl = 0;
  for (let y = box.y0; y < box.y1; y++) {
    for (let x = box.x0; x < box.x1; x++) {
      const p = y * width + x;
      if (coverage[p] < 128) continue;
      const l = luma(data[3 * p], data[3 * p + 1], data[3 * p + 2]);
      if (l < 0.5 * skinLuma || l > 1.6 * skinLuma) continue;
      const dx = x - mx;
      const dy = y - my;
      n++;
      sx += dx;
      sy += dy;
      sxx += dx * dx;
      sxy += dx * dy;
      syy += dy * dy;
      sl += l;
      sxl += dx * l;
      syl += dy * l;
    }
  }
  const plane = solvePlane([n, sx, sy, sx, sxx, sxy, sy, sxy, syy], [sl, sxl, syl]);
  if (!plane) return { skinLuma, gain, factor: () => gain };
  const [a, b, c] = plane;
  return {
    skinLuma,
    gain,
    factor(x, y) {
      const local = Math.max(1, a + b * (x - mx) + c * (y - my));
      return gain * Math.min(1.3, Math.max(0.6, (local / skinLuma) ** shading));
    },
  };
}

/** Solves the 3x3 system m (row-major) * x = r by Cramer's rule; null when singular. */
function solvePlane(m: number[], r: number[]): [number, number, number] | null {
  const det = (q: number[]) =>
    q[0] * (q[4] * q[8] - q[5] * q[7]) -
    q[1] * (q[3] * q[8] - q[5] * q[6]) +
    q[2] * (q[3] * q[7] - q[4] * q[6]);
  const d = det(m);
  if (!(Math.abs(d) > 1e-9)) return null;
  const col = (k: number) => m.map((v, i) => (i % 3 === k ? r[Math.floor(i / 3)] : v));
  return [det(col(0)) / d, det(col(1)) / d, det(col(2)) / d];
}
