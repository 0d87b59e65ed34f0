import { createRng } from '@mfr/core';
import { createCanvas } from '@napi-rs/canvas';
import { faceFrame } from '../geometry/frame.js';
import { type LandmarkInput, type Point, toLandmarkPoints } from '../geometry/landmarks.js';
import { type MaskPolygonOptions, maskPolygon } from '../geometry/mask-polygon.js';
import { type MaskSpec, parseMaskSpec } from '../spec.js';
import { type BrightnessOptions, brightnessModel } from './brightness.js';
import { resolveMaskColor, rgbToHex } from './color.js';
import { paintFabric } from './texture.js';
import { assertRgbImage, type BinaryMask, type RgbImage } from './types.js';

/** Options of `renderMask`. */
export interface RenderMaskOptions {
  /** Seed for the random colour and texture details. Default 0. Same seed + spec + input = same bytes. */
  readonly seed?: number | string;
  /** Passed to `maskPolygon`. */
  readonly polygon?: MaskPolygonOptions;
  /** Tuning of the brightness match (used when `spec.matchBrightness`). */
  readonly brightness?: BrightnessOptions;
}

/** What `renderMask` returns. */
export interface RenderMaskResult {
  /** A new RGB image with the mask drawn on (the input is not modified). */
  readonly image: RgbImage;
  /** 255 where the anti-aliased mask covers at least half of the pixel, else 0. */
  readonly mask: BinaryMask;
  /** The outline that was filled (closed, image pixels). */
  readonly polygon: Point[];
  /** The mask's base colour before brightness matching and texture, `#rrggbb`. */
  readonly color: string;
  /** The complete spec that was drawn (defaults filled; JSON-able). */
  readonly spec: MaskSpec;
}

/**
 * Draws a synthetic mask on a face image from its 68 landmarks.
 *
 * The outline is `maskPolygon(landmarks68, spec)`, filled anti-aliased with @napi-rs/canvas with the
 * spec's colour and procedural texture (see `paintFabric`), then composited over the image with the
 * fill's coverage as alpha. With `matchBrightness` the fabric is scaled to the lighting of the skin it
 * covers (see `brightnessModel`). Random choices (a `'random'` colour, texture details) come from
 * `createRng(seed)`.
 *
 * @example
 * const { image: masked, mask } = renderMask(face, landmarks, { shape: 'wide', color: 'light-blue' }, { seed: 7 });
 */
export function renderMask(
  image: RgbImage,
  landmarks68: ArrayLike<LandmarkInput>,
  spec: Partial<MaskSpec> = {},
  options: RenderMaskOptions = {},
): RenderMaskResult {
  assertRgbImage(image, 'renderMask');
  const full = parseMaskSpec(spec);
  const points = toLandmarkPoints(landmarks68, 'renderMask');
  const polygon = maskPolygon(points, full, options.polygon);
  const frame = faceFrame(points);
  const rng = createRng(options.seed ?? 0);
  const base = resolveMaskColor(full.color, rng.fork('color'));
  const { width, height } = image;

  // the outline's extent, in the face frame (for the texture) and in pixels (for the work area)
  let u0 = Infinity;
  let u1 = -Infinity;
  let v0 = Infinity;
  let v1 = -Infinity;
  let x0 = Infinity;
  let x1 = -Infinity;
  let y0 = Infinity;
  let y1 = -Infinity;
  for (const p of polygon) {
    const [u, v] = frame.toFace(p);
    u0 = Math.min(u0, u);
    u1 = Math.max(u1, u);
    v0 = Math.min(v0, v);
    v1 = Math.max(v1, v);
    x0 = Math.min(x0, p[0]);
    x1 = Math.max(x1, p[0]);
    y0 = Math.min(y0, p[1]);
    y1 = Math.max(y1, p[1]);
  }
  const box = {
    x0: Math.max(0, Math.floor(x0) - 1),
    y0: Math.max(0, Math.floor(y0) - 1),
    x1: Math.min(width, Math.ceil(x1) + 2),
    y1: Math.min(height, Math.ceil(y1) + 2),
  };

  // fabric over the whole layer, then keep only what the outline covers (anti-aliased alpha)
  const canvas = createCanvas(width, height);
  const ctx = canvas.getContext('2d');
  paintFabric(ctx, full.texture, base, frame, { u0, u1, v0, v1 }, rng.fork('texture'));
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.globalCompositeOperation = 'destination-in';
  ctx.fillStyle = '#000000';
  ctx.beginPath();
  for (const [i, [x, y]] of polygon.entries()) {
    if (i === 0) ctx.moveTo(x, y);
    else ctx.lineTo(x, y);
  }
  ctx.closePath();
  ctx.fill();
  const layer = ctx.getImageData(0, 0, width, height).data;

  const coverage = new Uint8Array(width * height);
  const mask = new Uint8Array(width * height);
  for (let i = 0; i < coverage.length; i++) {
    coverage[i] = layer[4 * i + 3];
    mask[i] = coverage[i] >= 128 ? 255 : 0;
  }
  const light =
    full.matchBrightness && box.x1 > box.x0 && box.y1 > box.y0
      ? brightnessModel(image, coverage, box, options.brightness)
      : null;

  const out = new Uint8Array(image.data);
  if (box.x1 > box.x0 && box.y1 > box.y0) {
    for (let y = box.y0; y < box.y1; y++) {
      for (let x = box.x0; x < box.x1; x++) {
        const i = y * width + x;
        const a = coverage[i] / 255;
        if (a === 0) continue;
        const k = light ? light.factor(x, y) : 1;
        for (let c = 0; c < 3; c++) {
          const fabric = Math.min(255, layer[4 * i + c] * k);
          out[3 * i + c] = Math.round(image.data[3 * i + c] * (1 - a) + fabric * a);
        }
      }
    }
  }
  return {
    image: { data: out, width, height },
    mask: { data: mask, width, height },
    polygon,
    color: rgbToHex(base),
    spec: full,
  };
}
