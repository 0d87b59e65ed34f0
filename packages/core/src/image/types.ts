/**
 * Raw 8-bit pixels, row-major, interleaved channels. Images decoded by this package are always RGB
 * (`channels` 3); `writeImage` also accepts 1 (grey) and 4 (RGBA).
 */
export interface Pixels {
  /** `width * height * channels` bytes, row-major, channels interleaved. */
  data: Uint8Array;
  width: number;
  height: number;
  /** 1, 3 or 4. Decoded images always have 3 (RGB). */
  channels?: number;
}

/** A decoded RGB image: `data` holds `width * height * 3` bytes. */
export interface RgbPixels {
  data: Uint8Array;
  width: number;
  height: number;
  channels: 3;
}

/** Output size `[height, width]`, or one number for a square. */
export type Size2D = number | readonly [number, number];

/** Normalises a size argument to `[height, width]` and checks it. */
export function toHeightWidth(size: Size2D, what = 'size'): [number, number] {
  const [h, w] = typeof size === 'number' ? [size, size] : [size[0], size[1]];
  if (!Number.isInteger(h) || !Number.isInteger(w) || h <= 0 || w <= 0) {
    throw new Error(`${what} must be positive integers [height, width], got ${JSON.stringify(size)}`);
  }
  return [h, w];
}

/** Options for decoding. */
export interface DecodeOptions {
  /**
   * Resize while decoding to `[height, width]` (Node: sharp, Lanczos-3; browsers: the canvas's smoothing).
   * Default: keep the original size.
   */
  size?: readonly [number, number];
  /** How to fit `size`: 'fill' stretches, 'cover' crops the centre, 'contain' pads with black. Default 'fill'. */
  fit?: 'fill' | 'cover' | 'contain';
}

/** The one wording of image decoding errors: `Cannot read image "<name>": <reason>`. */
export function imageError(name: string, reason: string): Error {
  return new Error(`Cannot read image "${name}": ${reason}`);
}
