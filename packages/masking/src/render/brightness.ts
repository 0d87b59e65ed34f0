import { luma } from './color.js';
import type { RgbImage } from './types.js';

/** Options of the brightness match (see `brightnessModel`). */
export interface BrightnessOptions {
  /** Skin luma (0-255) at which the mask keeps its nominal colour. Default 150 (well-lit skin). */
  readonly reference?: number;
  /** Exponent of the global scale (0: none, 1: proportional to the skin's luma). Default 0.8. */
  readonly strength?: number;
  /** Exponent of the local shading (0: flat, 1: copy the skin's light falloff). Default 0.5. */
  readonly shading?: number;
  /** Blur radius of the local shading, as a fraction of the interocular distance. Default 0.25. */
  readonly blur?: number;
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
 * 3. local shading = clamp((blurred luma / skinLuma) ^ shading, 0.6, 1.3), the box-blurred (radius
 *    blur x interocular) luma of the covered pixels, so side light and shadows fall across the mask
 *    as across the face; the blur removes features such as the mouth.
 * The mask colour is multiplied by gain x shading. `coverage` (0-255 per pixel) marks the mask.
 *
 * @example
 * const model = brightnessModel(image, coverage, interocular, box);
 * out = colour * model.factor(x, y);
 */
export function brightnessModel(
  image: RgbImage,
  coverage: Uint8Array,
  interocular: number,
  box: { x0: number; y0: number; x1: number; y1: number },
  options: BrightnessOptions = {},
): BrightnessModel {
  const { reference = 150, strength = 0.8, shading = 0.5, blur = 0.25 } = options;
  const { width, data } = image;
  const bw = box.x1 - box.x0;
  const bh = box.y1 - box.y0;
  // luma and inside-ness over the box
  const lum = new Float64Array(bw * bh);
  const inside = new Float64Array(bw * bh);
  const histogram = new Uint32Array(256);
  let count = 0;
  for (let y = 0; y < bh; y++) {
    for (let x = 0; x < bw; x++) {
      const p = (y + box.y0) * width + (x + box.x0);
      const l = luma(data[3 * p], data[3 * p + 1], data[3 * p + 2]);
      lum[y * bw + x] = l;
      if (coverage[p] >= 128) {
        inside[y * bw + x] = 1;
        histogram[Math.min(255, Math.round(l))]++;
        count++;
      }
    }
  }
  if (count === 0) return { skinLuma: reference, gain: 1, factor: () => 1 };
  let acc = 0;
  let skinLuma = 0;
  for (let i = 0; i < 256; i++) {
    acc += histogram[i];
    if (acc * 2 >= count) {
      skinLuma = Math.max(1, i);
      break;
    }
  }
  const gain = Math.min(1.05, Math.max(0.15, (skinLuma / reference) ** strength));
  // mean luma of covered pixels in a (2r+1)^2 window, via summed-area tables
  const r = Math.max(1, Math.round(blur * interocular));
  const sat = (values: Float64Array) => {
    const s = new Float64Array((bw + 1) * (bh + 1));
    for (let y = 0; y < bh; y++) {
      let row = 0;
      for (let x = 0; x < bw; x++) {
        row += values[y * bw + x];
        s[(y + 1) * (bw + 1) + x + 1] = s[y * (bw + 1) + x + 1] + row;
      }
    }
    return s;
  };
  const weighted = new Float64Array(bw * bh);
  for (let i = 0; i < weighted.length; i++) weighted[i] = lum[i] * inside[i];
  const sumL = sat(weighted);
  const sumN = sat(inside);
  const boxSum = (s: Float64Array, x: number, y: number) => {
    const xa = Math.max(0, x - r);
    const xb = Math.min(bw, x + r + 1);
    const ya = Math.max(0, y - r);
    const yb = Math.min(bh, y + r + 1);
    return s[yb * (bw + 1) + xb] - s[ya * (bw + 1) + xb] - s[yb * (bw + 1) + xa] + s[ya * (bw + 1) + xa];
  };
  return {
    skinLuma,
    gain,
    factor(x, y) {
      const bx = x - box.x0;
      const by = y - box.y0;
      if (shading === 0 || bx < 0 || by < 0 || bx >= bw || by >= bh) return gain;
      const n = boxSum(sumN, bx, by);
      if (n < 1) return gain;
      const local = boxSum(sumL, bx, by) / n;
      const shade = Math.min(1.3, Math.max(0.6, (Math.max(1, local) / skinLuma) ** shading));
      return gain * shade;
    },
  };
}
