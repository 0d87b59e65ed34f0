import { initBackend, meanPoint } from '@mfr/core';
import { readImagePixels } from '@mfr/core/node';
import { createLandmarker, type DetectedFace, FACEMESH_TO_68, type Landmarker, padImage } from '@mfr/masking';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { faceFiles, greyImage } from './landmarks-helpers.js';

// FaceMesh needs the Transform kernel, which tfjs-node lacks: these tests run on wasm (as CI does)
let face68: Landmarker;
let facemesh: Landmarker;
const images: { name: string; image: Awaited<ReturnType<typeof readImagePixels>> }[] = [];
const found68: DetectedFace[][] = [];

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
  face68 = await createLandmarker({ kind: 'face68' });
  facemesh = await createLandmarker({ kind: 'facemesh' });
  for (const name of await faceFiles()) images.push({ name, image: await readImagePixels(name) });
  for (const { image } of images) found68.push(await face68.detect(image));
});

afterAll(() => {
  face68?.dispose();
  facemesh?.dispose();
});

const iod = (p: DetectedFace['landmarks68']) => Math.hypot(p[36][0] - p[45][0], p[36][1] - p[45][1]);

describe('face68 landmarker', () => {
  it('finds exactly one face with 68 landmarks in each test image', () => {
    for (const [i, faces] of found68.entries()) {
      expect(faces.length, images[i].name).toBe(1);
      expect(faces[0].landmarks68).toHaveLength(68);
      expect(faces[0].score).toBeGreaterThan(0.5);
    }
  });

  it('puts the landmarks inside the face box (10% margin) and in anatomical order', () => {
    for (const [i, [face]] of found68.entries()) {
      const { box, landmarks68: p } = face;
      const mx = box.width * 0.1;
      const my = box.height * 0.1;
      const inside = p.filter(
        ([x, y]) =>
          x >= box.x - mx && x <= box.x + box.width + mx && y >= box.y - my && y <= box.y + box.height + my,
      ).length;
      expect(inside, images[i].name).toBeGreaterThanOrEqual(64);
      const eyes = meanPoint(p, 36, 47);
      const nose = p[30];
      const mouth = meanPoint(p, 48, 67);
      const chin = p[8];
      expect(eyes[1], images[i].name).toBeLessThan(nose[1]);
      expect(nose[1]).toBeLessThan(mouth[1]);
      expect(mouth[1]).toBeLessThan(chin[1]);
      // dlib order: point 36 (right eye, outer corner) is on the image's left, 45 on its right; jaw runs left to right
      expect(p[36][0]).toBeLessThan(p[45][0]);
      expect(p[0][0]).toBeLessThan(p[16][0]);
    }
  });

  it('returns no face for a flat grey image', async () => {
    expect(await face68.detect(greyImage())).toEqual([]);
  });

  it('rejects a malformed image with a message naming the problem', async () => {
    await expect(face68.detect({ data: new Uint8Array(10), width: 4, height: 4 })).rejects.toThrow(/48/);
  });

  it('keeps the tensor count stable across detections', async () => {
    await face68.detect(images[0].image);
    const before = tf.memory().numTensors;
    for (let k = 0; k < 3; k++) await face68.detect(images[k].image);
    await face68.detect(greyImage());
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('facemesh landmarker', () => {
  it('maps 468 points to 68 with a map of distinct, valid vertex indices', () => {
    expect(FACEMESH_TO_68).toHaveLength(68);
    expect(new Set(FACEMESH_TO_68).size).toBe(68);
    for (const i of FACEMESH_TO_68) expect(i >= 0 && i < 468).toBe(true);
  });

  it('gives landmarks close to face68 (mean distance < 0.15 of the eye-corner distance)', async () => {
    for (const [i, { name, image }] of images.entries()) {
      const faces = await facemesh.detect(image);
      expect(faces.length, name).toBeGreaterThanOrEqual(1);
      const a = faces[0].landmarks68;
      const b = found68[i][0].landmarks68;
      const d = a.reduce((s, p, k) => s + Math.hypot(p[0] - b[k][0], p[1] - b[k][1]), 0) / 68;
      expect(d / iod(b), name).toBeLessThan(0.15);
      expect(meanPoint(a, 36, 47)[1]).toBeLessThan(a[30][1]);
      expect(a[30][1]).toBeLessThan(meanPoint(a, 48, 67)[1]);
    }
  });

  it('returns no face for a flat grey image and keeps the tensor count stable', async () => {
    await facemesh.detect(images[0].image);
    const before = tf.memory().numTensors;
    expect(await facemesh.detect(greyImage())).toEqual([]);
    await facemesh.detect(images[1].image);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('cannot be used after dispose()', async () => {
    const lm = await createLandmarker({ kind: 'face68' });
    lm.dispose();
    await expect(lm.detect(images[0].image)).rejects.toThrow(/after dispose/);
  });
});

describe('padImage', () => {
  it('adds a mean-grey border and keeps the pixels at the offset', () => {
    const data = new Uint8Array(4 * 2 * 3);
    for (let i = 0; i < data.length; i++) data[i] = i * 10;
    const { image, offset } = padImage({ data, width: 4, height: 2 }, 0.5);
    expect(offset).toBe(2);
    expect([image.width, image.height]).toEqual([8, 6]);
    const mean = Math.round(data.reduce((a, b) => a + b, 0) / data.length);
    expect(image.data[0]).toBe(mean);
    const at = (x: number, y: number) =>
      Array.from(image.data.subarray((y * 8 + x) * 3, (y * 8 + x) * 3 + 3));
    expect(at(2, 2)).toEqual([0, 10, 20]);
    expect(at(5, 3)).toEqual(Array.from(data.subarray(21, 24)));
  });
});
