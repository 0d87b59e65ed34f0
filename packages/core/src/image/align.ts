/**
 * 5-point face alignment: a similarity transform (rotation, uniform scale, translation) that maps detected
 * landmarks onto the ArcFace template, then a bilinear warp. Points are `[x, y]` in pixels with pixel centres
 * at integer coordinates (the OpenCV / tf.image.transform convention).
 */
import * as tf from '@tensorflow/tfjs-core';

/** A 2-D point `[x, y]` in pixels. */
export type Point2 = readonly [number, number];

/**
 * The standard ArcFace 5-point template for a 112x112 crop: left eye, right eye, nose tip, left mouth corner,
 * right mouth corner ("left" = image left).
 */
export const ARCFACE_TEMPLATE_112: readonly Point2[] = Object.freeze([
  [38.2946, 51.6963],
  [73.5318, 51.5014],
  [56.0252, 71.7366],
  [41.5493, 92.3655],
  [70.7299, 92.2041],
] as Point2[]);

/** `dst = [a -b; b a] * src + [tx; ty]`, i.e. uniform scale `sqrt(a^2+b^2)`, rotation `atan2(b, a)`. */
export interface SimilarityTransform {
  /** 2x3 row-major affine matrix `[[a, -b, tx], [b, a, ty]]`. */
  matrix: [[number, number, number], [number, number, number]];
  scale: number;
  /** Rotation in radians (counter-clockwise in x-right/y-up axes; clockwise on screen, where y points down). */
  rotation: number;
  translation: [number, number];
  /** Root-mean-square distance between the transformed `src` points and `dst`. */
  rmsError: number;
}

/** Applies a transform to a point. */
export function applyTransform(t: SimilarityTransform, [x, y]: Point2): [number, number] {
  const [[a, b, c], [d, e, f]] = t.matrix;
  return [a * x + b * y + c, d * x + e * y + f];
}

/**
 * Least-squares similarity transform from `src` to `dst` points (Umeyama 1991, reflections excluded).
 * In 2-D the no-reflection solution has a closed form: with both point sets centred,
 * `a = Σ(s·d) / Σ|s|²`, `b = Σ(s×d) / Σ|s|²`.
 *
 * @example
 * const t = estimateSimilarityTransform(landmarks, ARCFACE_TEMPLATE_112);
 * applyTransform(t, landmarks[0]); // ≈ [38.29, 51.70]
 */
export function estimateSimilarityTransform(
  src: readonly Point2[],
  dst: readonly Point2[],
): SimilarityTransform {
  if (src.length !== dst.length) {
    throw new Error(
      `estimateSimilarityTransform: ${src.length} source points but ${dst.length} destination points`,
    );
  }
  const n = src.length;
  if (n < 2) throw new Error('estimateSimilarityTransform: need at least 2 point pairs');
  for (const p of [...src, ...dst]) {
    if (!Number.isFinite(p[0]) || !Number.isFinite(p[1])) {
      throw new Error(`estimateSimilarityTransform: non-finite point ${JSON.stringify(p)}`);
    }
  }
  let msx = 0;
  let msy = 0;
  let mdx = 0;
  let mdy = 0;
  for (let i = 0; i < n; i++) {
    msx += src[i][0] / n;
    msy += src[i][1] / n;
    mdx += dst[i][0] / n;
    mdy += dst[i][1] / n;
  }
  let dot = 0;
  let cross = 0;
  let norm = 0;
  for (let i = 0; i < n; i++) {
    const sx = src[i][0] - msx;
    const sy = src[i][1] - msy;
    const dx = dst[i][0] - mdx;
    const dy = dst[i][1] - mdy;
    dot += sx * dx + sy * dy;
    cross += sx * dy - sy * dx;
    norm += sx * sx + sy * sy;
  }
  if (norm === 0) throw new Error('estimateSimilarityTransform: all source points coincide');
  const a = dot / norm;
  const b = cross / norm;
  const tx = mdx - (a * msx - b * msy);
  const ty = mdy - (b * msx + a * msy);
  const t: SimilarityTransform = {
    matrix: [
      [a, -b, tx],
      [b, a, ty],
    ],
    scale: Math.hypot(a, b),
    rotation: Math.atan2(b, a),
    translation: [tx, ty],
    rmsError: 0,
  };
  let sq = 0;
  for (let i = 0; i < n; i++) {
    const [x, y] = applyTransform(t, src[i]);
    sq += (x - dst[i][0]) ** 2 + (y - dst[i][1]) ** 2;
  }
  t.rmsError = Math.sqrt(sq / n);
  return t;
}

/** Options for {@link alignFace}. */
export interface AlignFaceOptions {
  /** Output side in pixels. Default 112. */
  size?: number;
  /**
   * Five target points for a 112x112 output; scaled by `size / 112`. Default {@link ARCFACE_TEMPLATE_112}.
   */
  template?: readonly Point2[];
  /** Value for pixels that come from outside the image. Default 0. */
  fillValue?: number;
}

/**
 * Warps a face so its five landmarks (left eye, right eye, nose tip, left mouth corner, right mouth corner,
 * as `[x, y]` pixels in `image`) land on the template. Returns a float32 `[size, size, c]` tensor in the input's
 * value range (bilinear, via tf.image.transform). The caller disposes it.
 *
 * @example
 * const face = alignFace(photo, [[95, 110], [150, 108], [122, 140], [100, 170], [146, 168]]); // [112, 112, 3]
 */
export function alignFace(
  image: tf.Tensor3D,
  fivePoints: readonly Point2[],
  options: AlignFaceOptions = {},
): tf.Tensor3D {
  const size = options.size ?? 112;
  if (!Number.isInteger(size) || size <= 0)
    throw new Error(`alignFace: size must be a positive integer, got ${size}`);
  const template = options.template ?? ARCFACE_TEMPLATE_112;
  if (fivePoints.length !== template.length) {
    throw new Error(`alignFace: got ${fivePoints.length} landmarks, the template has ${template.length}`);
  }
  const k = size / 112;
  const target = template.map(([x, y]) => [x * k, y * k] as Point2);
  // Fit image -> template (as ArcFace does), then invert: tf.image.transform maps output pixels to input pixels.
  const fit = estimateSimilarityTransform(fivePoints, target);
  const [[a], [b]] = fit.matrix;
  const [tx, ty] = fit.translation;
  const det = a * a + b * b;
  // inverse of [a -b; b a] is [a b; -b a] / det
  const ia = a / det;
  const ib = b / det;
  const itx = -(ia * tx + ib * ty);
  const ity = -(-ib * tx + ia * ty);
  const inverse = [ia, ib, itx, -ib, ia, ity] as const;
  const fillValue = options.fillValue ?? 0;
  // tfjs-node has no Transform kernel; the gather-based warp gives the same result there
  if (!tf.getKernel('Transform', tf.getBackend())) return warpAffineByGather(image, inverse, size, fillValue);
  return tf.tidy(() => {
    const batch = tf.expandDims(tf.cast(image, 'float32'), 0) as tf.Tensor4D;
    const transforms = tf.tensor2d([[...inverse, 0, 0]]);
    const out = tf.image.transform(batch, transforms, 'bilinear', 'constant', fillValue, [size, size]);
    return tf.squeeze(out, [0]) as tf.Tensor3D;
  });
}

/**
 * Bilinear affine warp with tf.image.transform's semantics (output pixel (x, y) reads input point
 * `(m0 x + m1 y + m2, m3 x + m4 y + m5)`; neighbours outside the image read `fillValue`), built from
 * gather + weighted sum so it runs on backends without a Transform kernel (tfjs-node). Returns a float32
 * `[size, size, c]` tensor; the caller disposes it.
 *
 * @example
 * const shifted = warpAffineByGather(img, [1, 0, 5, 0, 1, 0], 112, 0); // output x reads input x + 5
 */
export function warpAffineByGather(
  image: tf.Tensor3D,
  m: readonly [number, number, number, number, number, number],
  size: number,
  fillValue: number,
): tf.Tensor3D {
  const [H, W, C] = image.shape;
  const outside = H * W; // index of an extra row holding fillValue
  const n = size * size;
  const indices = new Int32Array(4 * n);
  const weights = new Float32Array(4 * n);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const p = y * size + x;
      const sx = m[0] * x + m[1] * y + m[2];
      const sy = m[3] * x + m[4] * y + m[5];
      const x0 = Math.floor(sx);
      const y0 = Math.floor(sy);
      const fx = sx - x0;
      const fy = sy - y0;
      const corners = [
        [x0, y0, (1 - fx) * (1 - fy)],
        [x0 + 1, y0, fx * (1 - fy)],
        [x0, y0 + 1, (1 - fx) * fy],
        [x0 + 1, y0 + 1, fx * fy],
      ];
      for (let k = 0; k < 4; k++) {
        const [cx, cy, w] = corners[k];
        indices[k * n + p] = cx >= 0 && cx < W && cy >= 0 && cy < H ? cy * W + cx : outside;
        weights[k * n + p] = w;
      }
    }
  }
  return tf.tidy(() => {
    const flat = tf.reshape(tf.cast(image, 'float32'), [H * W, C]);
    const table = tf.concat([flat, tf.fill([1, C], fillValue)], 0);
    const gathered = tf.reshape(tf.gather(table, tf.tensor1d(indices, 'int32')), [4, n, C]);
    const summed = tf.sum(tf.mul(gathered, tf.tensor3d(weights, [4, n, 1])), 0);
    return tf.reshape(summed, [size, size, C]) as tf.Tensor3D;
  });
}

/** A square box in pixels (for the centre-crop stand-in of a face). */
export interface SquareBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * The centre square covering `fraction` (clamped to 0.05..1) of the shorter side: where a face is assumed to be
 * when none was detected in a pre-aligned photo.
 *
 * @example
 * centreBox(250, 250, 0.5); // { x: 62.5, y: 62.5, width: 125, height: 125 }
 */
export function centreBox(width: number, height: number, fraction: number): SquareBox {
  const side = Math.max(1, Math.min(width, height) * Math.min(1, Math.max(0.05, fraction)));
  return { x: (width - side) / 2, y: (height - side) / 2, width: side, height: side };
}

/**
 * The ArcFace 112 template scaled into a square box: stand-in alignment points for a face assumed to fill it.
 *
 * @example
 * templateInBox({ x: 0, y: 0, width: 112, height: 112 }); // ARCFACE_TEMPLATE_112
 */
export function templateInBox(box: SquareBox): [number, number][] {
  const k = box.width / 112;
  return ARCFACE_TEMPLATE_112.map(([x, y]) => [box.x + x * k, box.y + y * k] as [number, number]);
}
