import {
  ARCFACE_TEMPLATE_112,
  alignFace,
  applyTransform,
  createRng,
  estimateSimilarityTransform,
  initBackend,
  type Point2,
  warpAffineByGather,
} from '@mfr/core';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';

beforeAll(async () => {
  await initBackend();
});

// dst = s R(theta) src + t, written out independently of the library
function similarity(points: readonly Point2[], s: number, theta: number, tx: number, ty: number): Point2[] {
  const c = Math.cos(theta);
  const n = Math.sin(theta);
  return points.map(([x, y]) => [s * (c * x - n * y) + tx, s * (n * x + c * y) + ty] as Point2);
}

// Intensity-weighted centroids of bright blobs near each expected point (within `radius` px).
function blobCentroids(
  values: Float32Array | Int32Array | Uint8Array,
  size: number,
  near: readonly Point2[],
) {
  const radius = 6;
  return near.map(([cx, cy]) => {
    let sum = 0;
    let sx = 0;
    let sy = 0;
    for (let y = Math.max(0, Math.floor(cy - radius)); y <= Math.min(size - 1, Math.ceil(cy + radius)); y++) {
      for (
        let x = Math.max(0, Math.floor(cx - radius));
        x <= Math.min(size - 1, Math.ceil(cx + radius));
        x++
      ) {
        const v = values[(y * size + x) * 3];
        sum += v;
        sx += v * x;
        sy += v * y;
      }
    }
    return [sx / sum, sy / sum] as Point2;
  });
}

// A synthetic "face": black image with a Gaussian spot (sigma 1.5 px, peak 255) at each landmark.
function spotsImage(width: number, height: number, points: readonly Point2[]): tf.Tensor3D {
  const data = new Float32Array(width * height * 3);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      let v = 0;
      for (const [px, py] of points) v += 255 * Math.exp(-((x - px) ** 2 + (y - py) ** 2) / (2 * 1.5 ** 2));
      const i = (y * width + x) * 3;
      data[i] = data[i + 1] = data[i + 2] = Math.min(255, v);
    }
  return tf.tensor3d(data, [height, width, 3]);
}

describe('estimateSimilarityTransform', () => {
  it('recovers a known similarity exactly', () => {
    const src = ARCFACE_TEMPLATE_112;
    const dst = similarity(src, 1.7, 0.35, -12.5, 40.25);
    const t = estimateSimilarityTransform(src, dst);
    expect(t.scale).toBeCloseTo(1.7, 10);
    expect(t.rotation).toBeCloseTo(0.35, 10);
    expect(t.translation[0]).toBeCloseTo(-12.5, 9);
    expect(t.translation[1]).toBeCloseTo(40.25, 9);
    expect(t.rmsError).toBeLessThan(1e-9);
    for (let i = 0; i < 5; i++) {
      const [x, y] = applyTransform(t, src[i]);
      expect(x).toBeCloseTo(dst[i][0], 9);
      expect(y).toBeCloseTo(dst[i][1], 9);
    }
  });

  it('is the least-squares optimum on noisy points and never reflects', () => {
    const rng = createRng('align-noise');
    const src = ARCFACE_TEMPLATE_112;
    const dst = similarity(src, 0.8, -0.2, 5, 7).map(
      ([x, y]) => [x + rng.normal(0, 1), y + rng.normal(0, 1)] as Point2,
    );
    const t = estimateSimilarityTransform(src, dst);
    const cost = (s: number, th: number, tx: number, ty: number) =>
      similarity(src, s, th, tx, ty).reduce(
        (acc, [x, y], i) => acc + (x - dst[i][0]) ** 2 + (y - dst[i][1]) ** 2,
        0,
      );
    const best = cost(t.scale, t.rotation, t.translation[0], t.translation[1]);
    expect(Math.sqrt(best / 5)).toBeCloseTo(t.rmsError, 9);
    for (const [ds, dth, dtx, dty] of [
      [1e-3, 0, 0, 0],
      [-1e-3, 0, 0, 0],
      [0, 1e-3, 0, 0],
      [0, -1e-3, 0, 0],
      [0, 0, 1e-2, 0],
      [0, 0, 0, -1e-2],
    ]) {
      expect(
        cost(t.scale + ds, t.rotation + dth, t.translation[0] + dtx, t.translation[1] + dty),
      ).toBeGreaterThan(best);
    }
    // mirrored points: the best proper similarity cannot match them, and its determinant stays positive
    const mirrored = src.map(([x, y]) => [-x, y] as Point2);
    const m = estimateSimilarityTransform(src, mirrored);
    const [[a, b], [c, d]] = m.matrix;
    expect(a * d - b * c).toBeGreaterThanOrEqual(0);
    expect(m.rmsError).toBeGreaterThan(1);
    expect(() => estimateSimilarityTransform(src, src.slice(0, 4))).toThrow(/5 source points but 4/);
  });
});

describe('alignFace', () => {
  it('puts known landmarks on the template (within 1 px) at 112 and 224', () => {
    // landmarks of a face rotated by 17°, scaled 1.6x and shifted inside a 240x200 photo
    const landmarks = similarity(ARCFACE_TEMPLATE_112, 1.6, (17 * Math.PI) / 180, 60, 5);
    const photo = spotsImage(240, 200, landmarks);
    for (const size of [112, 224]) {
      const before = tf.memory().numTensors;
      const aligned = alignFace(photo, landmarks, { size });
      expect(tf.memory().numTensors).toBe(before + 1);
      expect(aligned.shape).toEqual([size, size, 3]);
      const target = ARCFACE_TEMPLATE_112.map(([x, y]) => [(x * size) / 112, (y * size) / 112] as Point2);
      const found = blobCentroids(aligned.dataSync() as Float32Array, size, target);
      for (let i = 0; i < 5; i++) {
        expect(Math.hypot(found[i][0] - target[i][0], found[i][1] - target[i][1])).toBeLessThan(1);
      }
      aligned.dispose();
    }
    photo.dispose();
  });

  it('is the identity when the landmarks already sit on the template', () => {
    const img = tf.tensor3d(
      Array.from({ length: 112 * 112 * 3 }, (_, i) => i % 251),
      [112, 112, 3],
    );
    const out = alignFace(img, ARCFACE_TEMPLATE_112);
    const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(out, img))).dataSync()[0]);
    expect(diff).toBeLessThan(1e-3);
    tf.dispose([img, out]);
  });

  it('the gather warp (used on tfjs-node) matches tf.image.transform where that kernel exists', () => {
    if (!tf.getKernel('Transform', tf.getBackend())) return; // tfjs-node: covered by the tests above
    const rng = createRng('warp');
    const img = tf.tensor3d(
      Array.from({ length: 30 * 20 * 3 }, () => rng.int(256)),
      [30, 20, 3],
    );
    const m = [0.9, 0.2, -3.3, -0.15, 1.1, 2.7] as const;
    const viaGather = warpAffineByGather(img, m, 25, 7);
    const viaKernel = tf.tidy(() =>
      tf.squeeze(
        tf.image.transform(
          tf.expandDims(img, 0) as tf.Tensor4D,
          tf.tensor2d([[...m, 0, 0]]),
          'bilinear',
          'constant',
          7,
          [25, 25],
        ),
        [0],
      ),
    );
    const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(viaGather, viaKernel))).dataSync()[0]);
    expect(diff).toBeLessThan(1e-3);
    tf.dispose([img, viaGather, viaKernel]);
  });
});
