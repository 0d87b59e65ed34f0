import { initBackend } from '@mfr/core';
import { readImagePixels } from '@mfr/core/node';
import {
  createLandmarker,
  createVerifier,
  type DetectedFace,
  type Landmarker,
  type RgbImage,
  renderMask,
  type Verifier,
} from '@mfr/masking';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { faceFiles } from './landmarks-helpers.js';

let landmarker: Landmarker;
let verifier: Verifier;
const cases: { name: string; image: RgbImage; face: DetectedFace; masked: RgbImage }[] = [];

// Paints the (enlarged) face box with heavy box blur: the face is gone but colours and layout stay.
function blurFace(image: RgbImage, face: DetectedFace, radius = 10, passes = 3): RgbImage {
  const { width, height } = image;
  const data = new Uint8Array(image.data);
  const x0 = Math.max(0, Math.floor(face.box.x - 0.1 * face.box.width));
  const y0 = Math.max(0, Math.floor(face.box.y - 0.25 * face.box.height));
  const x1 = Math.min(width, Math.ceil(face.box.x + 1.1 * face.box.width));
  const y1 = Math.min(height, Math.ceil(face.box.y + 1.15 * face.box.height));
  for (let pass = 0; pass < passes; pass++) {
    const src = new Uint8Array(data);
    for (let y = y0; y < y1; y++) {
      for (let x = x0; x < x1; x++) {
        const sum = [0, 0, 0];
        let n = 0;
        for (let dy = -radius; dy <= radius; dy += 2) {
          for (let dx = -radius; dx <= radius; dx += 2) {
            const yy = Math.min(height - 1, Math.max(0, y + dy));
            const xx = Math.min(width - 1, Math.max(0, x + dx));
            const o = (yy * width + xx) * 3;
            sum[0] += src[o];
            sum[1] += src[o + 1];
            sum[2] += src[o + 2];
            n++;
          }
        }
        const o = (y * width + x) * 3;
        data[o] = sum[0] / n;
        data[o + 1] = sum[1] / n;
        data[o + 2] = sum[2] / n;
      }
    }
  }
  return { data, width, height };
}

beforeAll(async () => {
  await initBackend();
  landmarker = await createLandmarker({ kind: 'face68' });
  verifier = await createVerifier();
  for (const name of (await faceFiles()).slice(0, 5)) {
    const image = await readImagePixels(name);
    const [face] = await landmarker.detect(image);
    const { image: masked } = renderMask(
      image,
      face.landmarks68,
      { shape: 'a', color: 'white' },
      { seed: 1 },
    );
    cases.push({ name, image, face, masked });
  }
});

afterAll(() => {
  landmarker?.dispose();
  verifier?.dispose();
});

describe('createVerifier', () => {
  it('re-detects masked faces where they were', async () => {
    for (const { name, face, masked } of cases) {
      const r = await verifier.verify(masked, face.box);
      expect(r.verified, name).toBe(true);
      expect(r.iou).toBeGreaterThanOrEqual(0.3);
    }
  });

  it('fails when the face was blurred out or painted over (a real check)', async () => {
    for (const { name, face, masked } of cases) {
      expect((await verifier.verify(blurFace(masked, face), face.box)).verified, `${name} blurred`).toBe(
        false,
      );
    }
    const { face, masked } = cases[0];
    const painted = new Uint8Array(masked.data);
    for (
      let y = Math.max(0, Math.floor(face.box.y - 20));
      y < Math.min(masked.height, face.box.y + face.box.height + 10);
      y++
    ) {
      for (
        let x = Math.max(0, Math.floor(face.box.x - 10));
        x < Math.min(masked.width, face.box.x + face.box.width + 10);
        x++
      ) {
        painted.fill(140, (y * masked.width + x) * 3, (y * masked.width + x) * 3 + 3);
      }
    }
    expect((await verifier.verify({ ...masked, data: painted }, face.box)).verified).toBe(false);
  });

  it('does not accept a face found elsewhere in the image', async () => {
    const { face, image } = cases[0];
    const elsewhere = { x: 0, y: 0, width: face.box.width * 0.5, height: face.box.height * 0.5 };
    const r = await verifier.verify(image, elsewhere);
    expect(r.verified).toBe(false);
  });

  it('verifies a batch as it verifies each face alone (both passes, tight crops, blurred faces)', async () => {
    const items = cases.flatMap(({ face, masked }) => [
      { image: masked, expected: face.box },
      { image: blurFace(masked, face), expected: face.box },
    ]);
    // a crop of the face box alone: the face touches the border, so it is re-detected with a border added
    const { face, masked } = cases[2];
    const x0 = Math.max(0, Math.floor(face.box.x));
    const y0 = Math.max(0, Math.floor(face.box.y));
    const w = Math.min(masked.width - x0, Math.ceil(face.box.width));
    const h = Math.min(masked.height - y0, Math.ceil(face.box.height));
    const crop = new Uint8Array(w * h * 3);
    for (let y = 0; y < h; y++)
      crop.set(
        masked.data.subarray(((y0 + y) * masked.width + x0) * 3, ((y0 + y) * masked.width + x0 + w) * 3),
        y * w * 3,
      );
    items.push({ image: { data: crop, width: w, height: h }, expected: { x: 0, y: 0, width: w, height: h } });
    const batch = await verifier.verifyBatch?.(items);
    const alone = [];
    for (const { image, expected } of items) alone.push(await verifier.verify(image, expected));
    expect(batch).toEqual(alone);
    expect(alone.filter((r, i) => i % 2 === 0 && i < 2 * cases.length && r.verified)).toHaveLength(
      cases.length,
    );
    expect(alone.filter((r, i) => i % 2 === 1 && r.verified)).toHaveLength(0);
    const before = tf.memory().numTensors;
    await verifier.verifyBatch?.(items);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('validates its options and keeps the tensor count stable', async () => {
    await expect(createVerifier({ inputSize: 100 })).rejects.toThrow(/multiple of 32/);
    const before = tf.memory().numTensors;
    await verifier.verify(cases[1].masked, cases[1].face.box);
    expect(tf.memory().numTensors).toBe(before);
  });
});
