import { initBackend } from '@mfr/core';
import { readImagePixels } from '@mfr/core/node';
import {
  createLandmarker,
  createVerifier,
  type Landmarker,
  maskImage,
  maskImages,
  type RgbImage,
  type Verifier,
} from '@mfr/masking';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { faceFiles, greyImage } from './landmarks-helpers.js';

let landmarker: Landmarker;
let verifier: Verifier;
let face: RgbImage;

beforeAll(async () => {
  await initBackend();
  landmarker = await createLandmarker({ kind: 'face68' });
  verifier = await createVerifier();
  face = await readImagePixels((await faceFiles())[0]);
});

afterAll(() => {
  landmarker?.dispose();
  verifier?.dispose();
});

describe('maskImage', () => {
  it('masks and verifies a real face, changing only pixels inside the mask', async () => {
    const r = await maskImage(face, { shape: 'a' }, { landmarker, verifier, seed: 3 });
    expect(r.status).toBe('masked');
    expect(r.faces).toHaveLength(1);
    expect(r.faces[0].verified).toBe(true);
    expect(r.image && r.mask).toBeTruthy();
    const { image, mask } = r as Required<typeof r>;
    let inside = 0;
    let changedOutside = 0;
    for (let p = 0; p < mask.data.length; p++) {
      const changed =
        image.data[p * 3] !== face.data[p * 3] ||
        image.data[p * 3 + 1] !== face.data[p * 3 + 1] ||
        image.data[p * 3 + 2] !== face.data[p * 3 + 2];
      if (mask.data[p]) inside++;
      // anti-aliased edge pixels blend partly, so only count clear changes far from the mask
      else if (changed && !nearMask(mask, p)) changedOutside++;
    }
    expect(inside).toBeGreaterThan(0.05 * face.width * face.height);
    expect(changedOutside).toBe(0);
    expect(r.ms).toBeGreaterThan(0);
  });

  it('is deterministic for the same seed', async () => {
    const a = await maskImage(face, { color: 'random', texture: 'cloth' }, { landmarker, seed: 9 });
    const b = await maskImage(face, { color: 'random', texture: 'cloth' }, { landmarker, seed: 9 });
    expect(Buffer.from(a.image?.data ?? []).equals(Buffer.from(b.image?.data ?? []))).toBe(true);
  });

  it('reports no-face for a flat grey image, and error (with the reason) for bad input', async () => {
    const none = await maskImage(greyImage(), {}, { landmarker, verifier });
    expect(none.status).toBe('no-face');
    expect(none.image).toBeUndefined();
    const bad = await maskImage(
      { data: new Uint8Array(5), width: 3, height: 3 },
      {},
      { landmarker, verifier },
    );
    expect(bad.status).toBe('error');
    expect(bad.reason).toMatch(/27/);
    const spec = await maskImage(face, { shape: 'z' as 'a' }, { landmarker });
    expect(spec.status).toBe('error');
    expect(spec.reason).toMatch(/shape/);
    expect((await maskImage(face, {}, {})).reason).toMatch(/landmarker/);
  });

  it('uses caller-supplied landmarks without detecting', async () => {
    const [detected] = await landmarker.detect(face);
    const throwing = {
      kind: 'face68' as const,
      detect: () => Promise.reject(new Error('must not be called')),
      dispose() {},
    };
    const r = await maskImage(
      face,
      {},
      { landmarker: throwing, verifier, landmarks: detected.landmarks68, seed: 3 },
    );
    expect(r.status).toBe('masked');
    expect(r.timings.detect).toBeLessThan(50);
    const viaDetector = await maskImage(face, {}, { landmarker, verifier, seed: 3 });
    expect(Buffer.from(r.image?.data ?? []).equals(Buffer.from(viaDetector.image?.data ?? []))).toBe(true);
    const wrong = await maskImage(face, {}, { landmarks: detected.landmarks68.slice(0, 60) });
    expect(wrong.status).toBe('error');
    expect(wrong.reason).toMatch(/68/);
  });

  it('masks every face with faces: "all" and the largest only by default', async () => {
    // two faces side by side
    const width = face.width * 2;
    const data = new Uint8Array(width * face.height * 3);
    for (let y = 0; y < face.height; y++) {
      const row = face.data.subarray(y * face.width * 3, (y + 1) * face.width * 3);
      data.set(row, y * width * 3);
      data.set(row, (y * width + face.width) * 3);
    }
    const two = { data, width, height: face.height };
    const all = await maskImage(two, {}, { landmarker, verifier, faces: 'all' });
    expect(all.faces).toHaveLength(2);
    const largest = await maskImage(two, {}, { landmarker, verifier });
    expect(largest.faces).toHaveLength(1);
  });

  it('keeps the tensor count stable', async () => {
    await maskImage(face, {}, { landmarker, verifier });
    const before = tf.memory().numTensors;
    await maskImage(face, {}, { landmarker, verifier });
    await maskImage(greyImage(), {}, { landmarker, verifier });
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('maskImages', () => {
  it('gives each image what maskImage gives it, and a bad image fails alone', async () => {
    const photos = await Promise.all((await faceFiles()).map((f) => readImagePixels(f)));
    const bad = { data: new Uint8Array(10), width: 5, height: 5 };
    const images = [photos[0], greyImage(), bad, ...photos.slice(1)];
    const seeds = images.map((_, i) => `photo-${i}`);
    const spec = { color: 'random', texture: 'cloth' } as const;
    const plain: Landmarker = { kind: 'face68', detect: (i) => landmarker.detect(i), dispose() {} };
    const plainVerifier: Verifier = { verify: (i, b) => verifier.verify(i, b), dispose() {} };
    // with the batch methods, and without them (landmarkers and verifiers of your own)
    for (const [lm, v] of [
      [landmarker, verifier],
      [plain, plainVerifier],
    ] as const) {
      const batch = await maskImages(images, spec, { landmarker: lm, verifier: v, seeds });
      for (const [i, image] of images.entries()) {
        const alone = await maskImage(image, spec, { landmarker, verifier, seed: seeds[i] });
        expect(batch[i].status, `image ${i}`).toBe(alone.status);
        expect(batch[i].reason).toBe(alone.reason);
        expect(batch[i].faces).toEqual(alone.faces);
        expect(Buffer.from(batch[i].image?.data ?? []).equals(Buffer.from(alone.image?.data ?? []))).toBe(
          true,
        );
      }
      expect(batch[1].status).toBe('no-face');
      expect(batch[2].status).toBe('error');
      expect(batch[2].reason).toMatch(/10 bytes/);
      expect(batch.filter((r) => r.status === 'masked').length).toBeGreaterThanOrEqual(5);
    }
  });

  it('fails every image, with the reason, for a bad spec, no landmarker or a wrong number of seeds', async () => {
    const images = [face, face];
    const reasons = async (r: Promise<{ status: string; reason?: string }[]>) =>
      (await r).map((x) => `${x.status}: ${x.reason}`);
    expect(await reasons(maskImages(images, { shape: 'x' as 'a' }, { landmarker }))).toEqual([
      expect.stringMatching(/^error: .*shape/),
      expect.stringMatching(/^error: .*shape/),
    ]);
    expect(await reasons(maskImages(images, {}, {}))).toEqual([
      expect.stringMatching(/^error: .*landmarker/),
      expect.stringMatching(/^error: .*landmarker/),
    ]);
    expect(await reasons(maskImages(images, {}, { landmarker, seeds: [1] }))).toEqual([
      expect.stringMatching(/^error: .*1 seeds for 2 images/),
      expect.stringMatching(/^error: .*1 seeds for 2 images/),
    ]);
    expect(await maskImages([], {}, { landmarker })).toEqual([]);
  });

  it('keeps the tensor count stable', async () => {
    await maskImages([face, greyImage()], {}, { landmarker, verifier });
    const before = tf.memory().numTensors;
    await maskImages([face, greyImage(), face], {}, { landmarker, verifier });
    expect(tf.memory().numTensors).toBe(before);
  });
});

function nearMask(mask: { data: Uint8Array; width: number; height: number }, p: number): boolean {
  const x = p % mask.width;
  const y = Math.floor(p / mask.width);
  for (let dy = -2; dy <= 2; dy++) {
    for (let dx = -2; dx <= 2; dx++) {
      const xx = x + dx;
      const yy = y + dy;
      if (xx >= 0 && yy >= 0 && xx < mask.width && yy < mask.height && mask.data[yy * mask.width + xx])
        return true;
    }
  }
  return false;
}
