import { initBackend } from '@mfr/core';
import { readImagePixels } from '@mfr/core/node';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FaceApi, loadFaceApi, loadFaceApiNet } from '../src/landmarks/face-api.js';
import {
  landmarks68,
  locateTinyFaces,
  squareLayout,
  writeNetInput,
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

describe('squareLayout', () => {
  it("places a crop on its square as face-api's padToSquare does", () => {
    // centred: the extra pixel of an odd border goes after the crop (round(1.5) = 2 after, 1 before)
    expect(squareLayout(2, 5, true)).toEqual({ side: 5, left: 1, top: 0 });
    expect(squareLayout(110, 130, true)).toEqual({ side: 130, left: 10, top: 0 });
    expect(squareLayout(130, 111, true)).toEqual({ side: 130, left: 0, top: 9 });
    expect(squareLayout(2, 5, false)).toEqual({ side: 5, left: 0, top: 0 });
    expect(squareLayout(7, 7, true)).toEqual({ side: 7, left: 0, top: 0 });
  });
});

describe('writeNetInput', () => {
  const mean = [117.001, 114.697, 97.404];
  // the same input made with tfjs ops, as face-api makes it: pad with black, resize, subtract the mean, / 255
  function reference(
    image: RgbImage,
    box: { x: number; y: number; width: number; height: number },
    centred: boolean,
    size: number,
  ) {
    const { side, left, top } = squareLayout(box.width, box.height, centred);
    return tf.tidy(() => {
      const crop = tf.slice(imageToTensor(image), [box.y, box.x, 0], [box.height, box.width, 3]);
      const padded = tf.pad(tf.cast(crop, 'float32'), [
        [top, side - box.height - top],
        [left, side - box.width - left],
        [0, 0],
      ]);
      const resized = side === size ? padded : tf.image.resizeBilinear(padded as tf.Tensor3D, [size, size]);
      return tf.div(tf.sub(resized, tf.tensor1d(mean)), 255).dataSync();
    });
  }

  it('gives what pad + resizeBilinear + normalise give, for crops, borders, up- and downscaling', () => {
    const image = images[0];
    const cases = [
      { box: { x: 0, y: 0, width: image.width, height: image.height }, centred: false, size: 96 },
      { box: { x: 0, y: 0, width: image.width, height: image.height }, centred: false, size: image.width },
      { box: { x: 0, y: 20, width: 250, height: 190 }, centred: false, size: 160 },
      { box: { x: 61, y: 50, width: 113, height: 140 }, centred: true, size: 112 },
      { box: { x: 90, y: 100, width: 60, height: 45 }, centred: true, size: 112 },
      { box: { x: 3, y: 7, width: 1, height: 2 }, centred: true, size: 5 },
    ];
    for (const { box, centred, size } of cases) {
      const out = new Float32Array(size * size * 3 + 5);
      const layout = writeNetInput(image, box, centred, size, mean, out, 5);
      expect(layout).toEqual(squareLayout(box.width, box.height, centred));
      const expected = reference(image, box, centred, size);
      let worst = 0;
      for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(out[i + 5] - expected[i]));
      expect(worst, JSON.stringify(box)).toBeLessThan(1e-5);
    }
  });

  it('refuses a box outside the image or between pixels, naming the fix', () => {
    const image = images[0];
    const out = new Float32Array(12);
    expect(() => writeNetInput(image, { x: 240, y: 0, width: 20, height: 10 }, true, 2, mean, out)).toThrow(
      /clipBox/,
    );
    expect(() => writeNetInput(image, { x: 0.5, y: 0, width: 10, height: 10 }, true, 2, mean, out)).toThrow(
      /whole pixels/,
    );
  });
});

describe('locateTinyFaces', () => {
  it('finds the boxes and scores face-api finds, on square and non-square photos', async () => {
    let compared = 0;
    for (const image of images) {
      const pixels = imageToTensor(image);
      for (const inputSize of [96, 160, 224]) {
        for (const scoreThreshold of [0.2, 0.5]) {
          const reference = await tiny.locateFaces(
            pixels,
            new faceapi.TinyFaceDetectorOptions({ inputSize, scoreThreshold }),
          );
          const ours = await locateTinyFaces(tiny, image, { inputSize, scoreThreshold });
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
    }
    expect(compared).toBeGreaterThan(60);
  });
});

describe('landmarks68', () => {
  // the detector's boxes (mostly taller than wide, some with an odd border) and square ones around them
  async function faceBoxes(image: RgbImage) {
    const found = await locateTinyFaces(tiny, image, { inputSize: 160, scoreThreshold: 0.5 });
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
          const [alone, inBatch] = [
            await landmarks68(net(), image, [box]),
            await landmarks68(net(), image, [box, box]),
          ];
          // face-api's points are relative to the crop
          reference.positions.forEach((p: { x: number; y: number }, k: number) => {
            expect(Math.abs(alone[0][2 * k] - (p.x + box.x))).toBeLessThan(0.02);
            expect(Math.abs(alone[0][2 * k + 1] - (p.y + box.y))).toBeLessThan(0.02);
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
    const [face] = await locateTinyFaces(tiny, image, { inputSize: 96, scoreThreshold: 0.5 });
    await landmarks68(full, image, [clipBox(face.box, image.width, image.height)]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
