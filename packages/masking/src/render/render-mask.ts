import { createRng } from '@mfr/core';
import { platform } from '#masking-platform';
import { faceFrame } from '../geometry/frame.js';
import { type LandmarkInput, type Point, toLandmarkPoints } from '../geometry/landmarks.js';
import { type MaskPolygonOptions, maskPolygon } from '../geometry/mask-polygon.js';
import { type MaskSpec, parseMaskSpec } from '../spec.js';
import { type BrightnessOptions, brightnessModel } from './brightness.js';
import { luma, resolveMaskColor, rgbToHex } from './color.js';
import { paintFabric } from './texture.js';
import { assertRgbImage, type BinaryMask, type RgbImage } from './types.js';

/** True when every pixel has R = G = B (a greyscale photo stored as RGB). */
function isGreyscale(image: RgbImage): boolean {
  const d = image.data;
  for (let i = 0; i < d.length; i += 3) if (d[i] !== d[i + 1] || d[i] !== d[i + 2]) return false;
  return true;
}

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
 * The outline is `maskPolygon(landmarks68, spec)`, filled anti-aliased on a 2D canvas (Skia: @napi-rs/canvas in Node, the page's canvas in browsers) with the
 * spec's colour and procedural texture (see `paintFabric`), then composited over the image with the
 * fill's coverage as alpha. With `matchBrightness` the fabric is scaled to the lighting of the skin it
 * covers (see `brightnessModel`). On a greyscale photo (R = G = B everywhere) the fabric is drawn in
 * its Rec. 601 luma, so the mask is grey too. Random choices (a `'random'` colour, texture details) come from
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

  const out = new Uint8Array(image.data);
  const mask = new Uint8Array(width * height);
  const bw = box.x1 - box.x0;
  const bh = box.y1 - box.y0;
  if (bw <= 0 || bh <= 0) {
    // the outline lies wholly outside the image: nothing to draw
    return {
      image: { data: out, width, height },
      mask: { data: mask, width, height },
      polygon,
      color: rgbToHex(base),
      spec: full,
    };
  }

  // fabric over a layer the size of the outline's box, then keep only what the outline covers
  // (anti-aliased alpha); drawing coordinates are image pixels shifted by the box corner
  const ctx = platform.createContext2D(bw, bh);
  paintFabric(ctx, full.texture, base, frame, { u0, u1, v0, v1 }, rng.fork('texture'), [box.x0, box.y0]);
  const outline = () => {
    ctx.setTransform(1, 0, 0, 1, -box.x0, -box.y0);
    ctx.beginPath();
    for (const [i, [x, y]] of polygon.entries()) {
      if (i === 0) ctx.moveTo(x, y);
      else ctx.lineTo(x, y);
    }
    ctx.closePath();
  };
  outline();
  ctx.globalCompositeOperation = 'destination-in';
  ctx.fillStyle = '#000000';
  ctx.fill();
  if (full.texture === 'pleats') {
    // the bound hem of a surgical mask: a darker band just inside the edge (source-atop keeps the alpha)
    outline();
    ctx.globalCompositeOperation = 'source-atop';
    ctx.lineWidth = Math.max(1, 0.1 * frame.interocular);
    ctx.strokeStyle = 'rgba(0,0,0,0.13)';
    ctx.stroke();
  }
  const layer = ctx.getImageData(0, 0, bw, bh).data;

  const coverage = new Uint8Array(width * height);
  for (let y = 0; y < bh; y++) {
    for (let x = 0; x < bw; x++) {
      const a = layer[4 * (y * bw + x) + 3];
      const i = (y + box.y0) * width + x + box.x0;
      coverage[i] = a;
      mask[i] = a >= 128 ? 255 : 0;
    }
  }
  const light = full.matchBrightness ? brightnessModel(image, coverage, box, options.brightness) : null;
  // a greyscale photo (AT&T, Yale B expanded to RGB) gets a greyscale mask: colour would give it away
  const grey = isGreyscale(image);

  for (let y = 0; y < bh; y++) {
    for (let x = 0; x < bw; x++) {
      const l = y * bw + x;
      const a = layer[4 * l + 3] / 255;
      if (a === 0) continue;
      const i = (y + box.y0) * width + x + box.x0;
      const k = light ? light.factor(x + box.x0, y + box.y0) : 1;
      const g = grey ? luma(layer[4 * l], layer[4 * l + 1], layer[4 * l + 2]) : 0;
      for (let c = 0; c < 3; c++) {
        const fabric = Math.min(255, (grey ? g : layer[4 * l + c]) * k);
        out[3 * i + c] = Math.round(image.data[3 * i + c] * (1 - a) + fabric * a);
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
