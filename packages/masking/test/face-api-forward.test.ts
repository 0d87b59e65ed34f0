import { initBackend } from '@mfr/core';
import { readImagePixels } from '@mfr/core/node';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FaceApi, loadFaceApi, loadFaceApiNet } from '../src/landmarks/face-api.js';
import {
  detectorSquare,
  landmarkSquare,
  landmarks68,
  locateTinyFaces,
  squareInput,
} from '../src/landmarks/face-api-forward.js';
import { imageToTensor } from '../src/landmarks/image-tensor.js';
import { clipBox, type RgbImage } from '../src/landmarks/types.js';
import { faceFiles } from './landmarks-helpers.js';

// Our fused forward passes against face-api's own (its ops, its padding and normalisation) on real faces
let faceapi: FaceApi;
let tiny: FaceApi;
let full: FaceApi;
let tinyLandmarks: FaceApi;
const images: RgbImage[] = [];

function crop(image: RgbImage, x: number, y: number, width: number, height: number): RgbImage {
  const data = new Uint8Array(width * height * 3);
  for (let row = 0; row < height; row++) {
    const from = ((y + row) * image.width + x) * 3;
    data.set(image.data.subarray(from, from + width * 3), row * width * 3);
  }
  return { data, width, height };
}

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
  faceapi = await loadFaceApi();
  tiny = await loadFaceApiNet(new faceapi.TinyFaceDetector(), 'tiny');
  full = await loadFaceApiNet(new faceapi.FaceLandmark68Net(), 'landmarks');
  tinyLandmarks = await loadFaceApiNet(new faceapi.FaceLandmark68TinyNet(), 'tiny landmarks');
  for (const file of await faceFiles()) {
    const image = await readImagePixels(file);
    images.push(image);
    // non-square copies: the border goes below / right of them at the detector's input
    if (image.width >= 200) images.push(crop(image, 0, 20, 250, 190), crop(image, 40, 0, 170, 250));
  }
});

afterAll(() => {
  for (const net of [tiny, full, tinyLandmarks]) net?.dispose();
});

describe('squareInput', () => {
  const image = {
    data: Uint8Array.from([0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110]),
    width: 2,
    height: 2,
  };

  it('copies the crop and fills the border with black, centred or after the crop', async () => {
    const wide = { x: 0, y: 1, width: 2, height: 1 };
    // a 2x1 crop on a 2x2 square: face-api puts round(1 / 2) = 1 row after it, 0 before, centred or not
    for (const centred of [true, false]) {
      const s = squareInput(image, wide, centred);
      expect([s.side, s.width, s.height, s.left, s.top]).toEqual([2, 2, 1, 0, 0]);
      expect(Array.from(await s.tensor.data())).toEqual([60, 70, 80, 90, 100, 110, 0, 0, 0, 0, 0, 0]);
      s.tensor.dispose();
    }
    const tallImage = { data: new Uint8Array(2 * 5 * 3).fill(255), width: 2, height: 5 };
    const tall = squareInput(tallImage, { x: 0, y: 0, width: 2, height: 5 }, true);
    // 3 columns of border: 1 before (3 - round(1.5)), 2 after
    expect([tall.side, tall.left, tall.top]).toEqual([5, 1, 0]);
    expect(Array.from((await tall.tensor.data()).slice(0, 15))).toEqual([
      0, 0, 0, 255, 255, 255, 255, 255, 255, 0, 0, 0, 0, 0, 0,
    ]);
    tall.tensor.dispose();
    const after = squareInput(tallImage, { x: 0, y: 0, width: 2, height: 5 }, false);
    expect(after.left).toBe(0);
    expect(Array.from((await after.tensor.data()).slice(0, 15))).toEqual([
      255, 255, 255, 255, 255, 255, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    ]);
    after.tensor.dispose();
  });

  it('refuses a box outside the image or between pixels, naming the fix', () => {
    expect(() => squareInput(image, { x: 1, y: 0, width: 2, height: 1 }, true)).toThrow(/clipBox/);
    expect(() => squareInput(image, { x: 0.5, y: 0, width: 1, height: 1 }, true)).toThrow(/whole pixels/);
  });
});

describe('locateTinyFaces', () => {
  it('finds the boxes and scores face-api finds, on square and non-square photos', async () => {
    let compared = 0;
    for (const image of images) {
      const pixels = imageToTensor(image);
      const square = detectorSquare(image);
      for (const inputSize of [96, 160, 224]) {
        for (const scoreThreshold of [0.2, 0.5]) {
          const reference = await tiny.locateFaces(
            pixels,
            new faceapi.TinyFaceDetectorOptions({ inputSize, scoreThreshold }),
          );
          const ours = await locateTinyFaces(tiny, square, { inputSize, scoreThreshold });
          expect(ours.length, `${image.width}x${image.height} @${inputSize}`).toBe(reference.length);
          for (const [i, d] of reference.entries()) {
            expect(Math.abs(ours[i].score - d.score)).toBeLessThan(1e-4);
            for (const k of ['x', 'y', 'width', 'height'] as const)
              expect(Math.abs(ours[i].box[k] - d.box[k]), k).toBeLessThan(0.02);
            compared++;
          }
        }
      }
      pixels.dispose();
      square.tensor.dispose();
    }
    expect(compared).toBeGreaterThan(60);
  });
});

describe('landmarks68', () => {
  // the detector's boxes (mostly taller than wide, some with an odd border) and square ones around them
  async function faceBoxes(image: RgbImage) {
    const square = detectorSquare(image);
    const found = await locateTinyFaces(tiny, square, { inputSize: 160, scoreThreshold: 0.5 });
    square.tensor.dispose();
    return found.flatMap(({ box }) => {
      const side = Math.min(Math.round(Math.max(box.width, box.height)), image.width, image.height);
      const x = Math.min(Math.max(0, Math.round(box.x + box.width / 2 - side / 2)), image.width - side);
      const y = Math.min(Math.max(0, Math.round(box.y + box.height / 2 - side / 2)), image.height - side);
      return [clipBox(box, image.width, image.height), { x, y, width: side, height: side }];
    });
  }

  for (const [name, net] of [
    ['full', () => full],
    ['tiny', () => tinyLandmarks],
  ] as const) {
    it(`gives face-api's points with the ${name} net, alone and in a batch`, async () => {
      let faces = 0;
      for (const image of images) {
        for (const box of await faceBoxes(image)) {
          const pixels = tf.tidy(() =>
            tf.slice(imageToTensor(image), [box.y, box.x, 0], [box.height, box.width, 3]),
          );
          const reference = await net().detectLandmarks(pixels);
          pixels.dispose();
          const square = landmarkSquare(image, box);
          const [alone, inBatch] = [
            await landmarks68(net(), [square]),
            await landmarks68(net(), [square, square]),
          ];
          square.tensor.dispose();
          reference.positions.forEach((p: { x: number; y: number }, k: number) => {
            expect(Math.abs(alone[0][2 * k] - p.x)).toBeLessThan(0.02);
            expect(Math.abs(alone[0][2 * k + 1] - p.y)).toBeLessThan(0.02);
          });
          for (const points of inBatch)
            for (let k = 0; k < 136; k++) expect(points[k]).toBeCloseTo(alone[0][k], 3);
          faces++;
        }
      }
      expect(faces).toBeGreaterThanOrEqual(16);
    });
  }

  it('leaves no tensors behind', async () => {
    const image = images[0];
    const before = tf.memory().numTensors;
    const square = detectorSquare(image);
    const [face] = await locateTinyFaces(tiny, square, { inputSize: 96, scoreThreshold: 0.5 });
    square.tensor.dispose();
    const crop = landmarkSquare(image, clipBox(face.box, image.width, image.height));
    await landmarks68(full, [crop]);
    crop.tensor.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
