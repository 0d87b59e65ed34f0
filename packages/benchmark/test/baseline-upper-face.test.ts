import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ARCFACE_TEMPLATE_112,
  applyTransform,
  estimateSimilarityTransform,
  initBackend,
  type SimilarityTransform,
} from '@mfr/core';
import { readImage } from '@mfr/core/node';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeSampleFaceCrop } from '../../../test-support/sample-faces.js';
import {
  type BenchModel,
  createBaseline,
  createFaceAnalyzer,
  type FaceAnalysis,
  UPPER_FACE_CUT,
} from '../src/index.js';

const FACE = join(mkdtempSync(join(tmpdir(), 'mfr-upper-face-')), 'face.jpg');
let image: tf.Tensor3D;
let analysis: FaceAnalysis;
/** The face's similarity transform onto the 224-px aligned face that faceres sees. */
let fit: SimilarityTransform;

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
  await writeSampleFaceCrop(0, FACE);
  image = await readImage(FACE);
  analysis = await (await createFaceAnalyzer()).analyze(image, 1);
  fit = estimateSimilarityTransform(
    analysis.fivePoints,
    ARCFACE_TEMPLATE_112.map(([x, y]) => [2 * x, 2 * y] as const),
  );
});

/**
 * A copy of the image with every pixel set to `value` whose place in the 224-px aligned face lies below
 * (`side` 'below') or above the given row. `margin` keeps pixels near the row untouched, since bilinear sampling
 * reads the neighbours of each sampled point.
 */
function paintRows(row: number, side: 'below' | 'above', margin: number, value: number): tf.Tensor3D {
  const [h, w] = image.shape;
  const data = image.dataSync().slice();
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const [, alignedY] = applyTransform(fit, [x, y]);
      const paint = side === 'below' ? alignedY > row + margin : alignedY < row - margin;
      if (paint) data.fill(value, 3 * (y * w + x), 3 * (y * w + x) + 3);
    }
  }
  return tf.tensor3d(data, [h, w, 3]);
}

async function embed(model: BenchModel, picture: tf.Tensor3D): Promise<Float32Array> {
  return model.embed({ path: FACE, image: picture, analysis: async () => analysis });
}

const maxAbsDiff = (a: Float32Array, b: Float32Array) =>
  a.reduce((m, x, i) => Math.max(m, Math.abs(x - b[i])), 0);

describe('baseline faceres-upper', () => {
  it('sees only the face above the cut: what lies below it changes faceres, not faceres-upper', async () => {
    const upper = await createBaseline('faceres-upper');
    const whole = await createBaseline('faceres');
    try {
      expect(analysis.status).toBe('face');
      // the aligned face is 224 px; kept rows are 0 .. round(cut * 224) - 1; a sampled point reads pixels up to
      // one source pixel away, which is up to `scale` aligned pixels
      const scale = Math.hypot(fit.matrix[0][0], fit.matrix[1][0]);
      const lastKept = Math.round(UPPER_FACE_CUT * 224) - 1;
      const lowerBlacked = paintRows(lastKept, 'below', 1.5 * scale + 1, 0);
      const upperBlacked = paintRows(lastKept, 'above', 1.5 * scale + 1 + 40, 0);
      try {
        const before = tf.memory().numTensors;
        const original = await embed(upper, image);
        expect(tf.memory().numTensors).toBe(before);
        expect(original.length).toBe(1024);
        // the mouth and chin blacked out: no change to the upper-face vector, a clear one to the whole face's
        expect(maxAbsDiff(await embed(upper, lowerBlacked), original)).toBeLessThan(1e-3);
        const wholeOriginal = await embed(whole, image);
        expect(maxAbsDiff(await embed(whole, lowerBlacked), wholeOriginal)).toBeGreaterThan(0.05);
        // the forehead and brows blacked out: the upper-face vector changes
        expect(maxAbsDiff(await embed(upper, upperBlacked), original)).toBeGreaterThan(0.05);
      } finally {
        lowerBlacked.dispose();
        upperBlacked.dispose();
      }
    } finally {
      upper.dispose();
      whole.dispose();
    }
  }, 120_000);
});
