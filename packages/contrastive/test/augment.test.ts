import {
  augmentBatch,
  colorJitter,
  gaussianKernel1d,
  hsvToRgb,
  randomGaussianBlur,
  randomGrayscale,
  randomHorizontalFlip,
  rgbToHsv,
  sampleCropBox,
} from '@mfr/contrastive';
import { createRng, initBackend } from '@mfr/core';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { fakeImages } from './helpers.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

describe('random resized crop boxes', () => {
  it('stay inside the region with area 0.2-1 and ratio 3/4-4/3', () => {
    const rng = createRng(3);
    for (let i = 0; i < 500; i++) {
      const [y1, x1, y2, x2] = sampleCropBox(rng, 1);
      const area = (y2 - y1) * (x2 - x1);
      const ratio = (x2 - x1) / (y2 - y1);
      expect(y1).toBeGreaterThanOrEqual(0);
      expect(x1).toBeGreaterThanOrEqual(0);
      expect(y2).toBeLessThanOrEqual(1 + 1e-9);
      expect(x2).toBeLessThanOrEqual(1 + 1e-9);
      expect(area).toBeGreaterThanOrEqual(0.2 - 1e-9);
      expect(area).toBeLessThanOrEqual(1 + 1e-9);
      expect(ratio).toBeGreaterThanOrEqual(3 / 4 - 1e-9);
      expect(ratio).toBeLessThanOrEqual(4 / 3 + 1e-9);
    }
  });

  it('respect a face region', () => {
    const rng = createRng(4);
    for (let i = 0; i < 200; i++) {
      const [y1, x1, y2, x2] = sampleCropBox(rng, 1, { region: [0.2, 0.2, 0.8, 0.8] });
      expect(Math.min(y1, x1)).toBeGreaterThanOrEqual(0.2 - 1e-9);
      expect(Math.max(y2, x2)).toBeLessThanOrEqual(0.8 + 1e-9);
      expect((y2 - y1) * (x2 - x1)).toBeGreaterThanOrEqual(0.2 * 0.36 - 1e-9);
    }
  });
});

describe('augmentBatch', () => {
  it('gives [N,size,size,3] in [0,1], the same for the same seed, different views otherwise', () => {
    const images = fakeImages(4, 24);
    const a = augmentBatch(images, createRng(9), { size: 16 });
    const b = augmentBatch(images, createRng(9), { size: 16 });
    const rng = createRng(9);
    const first = augmentBatch(images, rng, { size: 16 });
    const second = augmentBatch(images, rng, { size: 16 });
    expect(a.shape).toEqual([4, 16, 16, 3]);
    expect(tf.min(a).dataSync()[0]).toBeGreaterThanOrEqual(0);
    expect(tf.max(a).dataSync()[0]).toBeLessThanOrEqual(1);
    expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
    expect(Array.from(first.dataSync())).not.toEqual(Array.from(second.dataSync()));
    tf.dispose([images, a, b, first, second]);
  });

  it('disposes all intermediates', () => {
    const images = fakeImages(3, 20);
    const before = tf.memory().numTensors;
    const out = augmentBatch(images, createRng(1), { size: 12 });
    out.dispose();
    expect(tf.memory().numTensors).toBe(before);
    images.dispose();
  });

  it('rejects non-RGB input', () => {
    const grey = tf.zeros([2, 8, 8, 1]) as tf.Tensor4D;
    expect(() => augmentBatch(grey, createRng(0))).toThrow(/\[N,H,W,3\]/);
    grey.dispose();
  });
});

describe('single augmentations', () => {
  it('HSV round trip is the identity', () => {
    const images = fakeImages(2, 6);
    const back = hsvToRgb(rgbToHsv(images));
    const diff = tf.max(tf.abs(tf.sub(back, images))).dataSync()[0];
    expect(diff).toBeLessThan(1e-5);
    tf.dispose([images, back]);
  });

  it('colour jitter with p=0 changes nothing and with p=1 stays in range', () => {
    const images = fakeImages(3, 8);
    const same = colorJitter(images, createRng(0), { p: 0 });
    expect(tf.max(tf.abs(tf.sub(same, images))).dataSync()[0]).toBeLessThan(1e-5);
    const changed = colorJitter(images, createRng(0), { p: 1 });
    expect(tf.max(tf.abs(tf.sub(changed, images))).dataSync()[0]).toBeGreaterThan(0.01);
    expect(tf.min(changed).dataSync()[0]).toBeGreaterThanOrEqual(0);
    expect(tf.max(changed).dataSync()[0]).toBeLessThanOrEqual(1);
    tf.dispose([images, same, changed]);
  });

  it('greyscale with p=1 gives equal channels; flip with p=1 mirrors', () => {
    const images = fakeImages(2, 5);
    const grey = randomGrayscale(images, createRng(0), { p: 1 });
    const [r, g, b] = tf.split(grey, 3, -1);
    expect(tf.max(tf.abs(tf.sub(r, g))).dataSync()[0]).toBeLessThan(1e-6);
    expect(tf.max(tf.abs(tf.sub(r, b))).dataSync()[0]).toBeLessThan(1e-6);
    const flipped = randomHorizontalFlip(images, createRng(0), { p: 1 });
    const expected = tf.reverse(images, 2);
    expect(Array.from(flipped.dataSync())).toEqual(Array.from(expected.dataSync()));
    tf.dispose([images, grey, r, g, b, flipped, expected]);
  });

  it('blur kernels are normalised, p=0 is the identity, and each image gets its own sigma', () => {
    const kernel = gaussianKernel1d(1.5, 7);
    expect(kernel.reduce((a, b) => a + b)).toBeCloseTo(1, 10);
    expect(kernel[3]).toBeGreaterThan(kernel[0]);
    const images = fakeImages(3, 12);
    const none = randomGaussianBlur(images, createRng(0), { p: 0 });
    expect(tf.max(tf.abs(tf.sub(none, images))).dataSync()[0]).toBeLessThan(1e-6);
    const blurred = randomGaussianBlur(images, createRng(0), { p: 1, sigma: [2, 2], kernelSize: 5 });
    // blurring lowers the pixel-to-pixel variation
    const roughness = (x: tf.Tensor4D) =>
      tf
        .mean(
          tf.abs(
            tf.sub(tf.slice(x, [0, 1, 0, 0], [-1, -1, -1, -1]), tf.slice(x, [0, 0, 0, 0], [-1, 11, -1, -1])),
          ),
        )
        .dataSync()[0];
    expect(roughness(blurred)).toBeLessThan(roughness(images) * 0.7);
    tf.dispose([images, none, blurred]);
  });
});
