import {
  contrastiveLogits,
  createMoCo,
  createSgd,
  forwardShuffledSplit,
  infoNceLoss,
  KeyQueue,
  momentumUpdate,
  splitSizes,
} from '@mfr/contrastive';
import { createRng, initBackend, l2Normalize } from '@mfr/core';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { fakeImages, tinyBackbone } from './helpers.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

describe('momentum update', () => {
  it('moves key weights to m k + (1 - m) q', () => {
    const q = tinyBackbone(16, 1);
    const k = tinyBackbone(16, 7);
    const qw = q.trainableWeights.map((w) => w.read().dataSync().slice());
    const kw = k.trainableWeights.map((w) => w.read().dataSync().slice());
    momentumUpdate(q, k, 0.9);
    k.trainableWeights.forEach((w, i) => {
      const got = w.read().dataSync();
      for (let j = 0; j < got.length; j += 7) expect(got[j]).toBeCloseTo(0.9 * kw[i][j] + 0.1 * qw[i][j], 6);
    });
    // the query is unchanged
    expect(Array.from(q.trainableWeights[0].read().dataSync())).toEqual(Array.from(qw[0]));
    q.dispose();
    k.dispose();
  });
});

describe('KeyQueue', () => {
  it('writes keys in order and wraps around', () => {
    const queue = new KeyQueue(2, 6, createRng(0));
    const batch = (start: number) => tf.tensor2d([start, -start, start + 1, -(start + 1)], [2, 2]);
    for (const start of [10, 20, 30]) {
      const keys = batch(start);
      queue.enqueue(keys);
      keys.dispose();
    }
    expect(queue.pointer).toBe(0);
    expect(Array.from(queue.keys.dataSync())).toEqual([10, 11, 20, 21, 30, 31, -10, -11, -20, -21, -30, -31]);
    const keys = batch(40);
    queue.enqueue(keys); // overwrites the oldest column pair
    keys.dispose();
    expect(queue.pointer).toBe(2);
    expect(Array.from(queue.keys.dataSync()).slice(0, 6)).toEqual([40, 41, 20, 21, 30, 31]);
    queue.dispose();
  });

  it('starts with unit-norm random keys', () => {
    const queue = new KeyQueue(4, 8, createRng(1));
    const norms = tf.norm(queue.keys, 2, 0).dataSync();
    for (const n of norms) expect(n).toBeCloseTo(1, 5);
    queue.dispose();
  });

  it('rejects a batch size that does not divide K, with a clear message', () => {
    const queue = new KeyQueue(2, 10, createRng(0));
    expect(() => queue.checkBatchSize(4)).toThrow(/queue size 10 is not a multiple of the batch size 4/);
    queue.dispose();
    const moco = createMoCo({ backbone: () => tinyBackbone(), queueSize: 100, dim: 4 });
    const sgd = createSgd(moco.trainableVariables());
    const x = fakeImages(8, 16);
    expect(() => moco.step(x, x, sgd, 0.1)).toThrow(/not a multiple of the batch size 8/);
    tf.dispose(x);
    sgd.dispose();
    moco.dispose();
  });
});

describe('InfoNCE', () => {
  it('matches a hand computation', () => {
    const q = l2Normalize(
      tf.tensor2d([
        [1, 0],
        [0.6, 0.8],
      ]),
    );
    const k = l2Normalize(
      tf.tensor2d([
        [0.8, 0.6],
        [0, 1],
      ]),
    );
    const queue = tf.tensor2d([
      [1, 0, -1],
      [0, 1, 0],
    ]); // columns are keys
    const T = 0.5;
    // row 0: pos = 0.8, neg = [1, 0, -1]; row 1: pos = 0.8, neg = [0.6, 0.8, -0.6]
    const rows = [
      [0.8, 1, 0, -1],
      [0.8, 0.6, 0.8, -0.6],
    ];
    const expected =
      rows
        .map((r) => Math.log(r.reduce((s, v) => s + Math.exp(v / T), 0)) - r[0] / T)
        .reduce((a, b) => a + b) / 2;
    expect(Array.from(contrastiveLogits(q, k, queue, T).dataSync()).map((v) => v * T)).toEqual(
      rows.flat().map((v) => expect.closeTo(v, 5)),
    );
    expect(infoNceLoss(q, k, queue, T).dataSync()[0]).toBeCloseTo(expected, 5);
    tf.dispose([q, k, queue]);
  });
});

describe('shuffle-BN substitute', () => {
  it('splits near-equally', () => {
    expect(splitSizes(10, 4)).toEqual([3, 3, 2, 2]);
    expect(splitSizes(3, 4)).toEqual([1, 1, 1]);
  });

  it('returns rows in the original order', () => {
    const x = fakeImages(6, 4);
    // a per-sample function: shuffling and splitting must not change its result
    const encode = (b: tf.Tensor4D) => tf.reshape(tf.mean(b, [1, 2]), [b.shape[0], 3]) as tf.Tensor2D;
    const direct = encode(x);
    const split = forwardShuffledSplit(x, encode, 3, createRng(5));
    expect(Array.from(split.dataSync())).toEqual(Array.from(direct.dataSync()));
    tf.dispose([x, direct, split]);
  });

  it("refuses 'group' with a batch-norm backbone", () => {
    expect(() => createMoCo({ backbone: () => tinyBackbone(), shuffleBN: 'group', queueSize: 16 })).toThrow(
      /normalization: 'group'/,
    );
  });
});

describe('MoCo step', () => {
  it('updates the key encoder from the query weights of before the SGD step', () => {
    const moco = createMoCo({
      backbone: () => tinyBackbone(),
      queueSize: 16,
      dim: 4,
      momentum: 0.5,
      bnSplits: 2,
    });
    const sgd = createSgd(moco.trainableVariables());
    const a = fakeImages(8, 16, 0);
    const b = fakeImages(8, 16, 3);
    moco.step(a, b, sgd, 0.1); // make query and key differ
    const q0 = moco.queryBackbone.trainableWeights.map((w) => w.read().dataSync().slice());
    const k0 = moco.keyBackbone.trainableWeights.map((w) => w.read().dataSync().slice());
    moco.step(a, b, sgd, 0.1);
    moco.keyBackbone.trainableWeights.forEach((w, i) => {
      const k1 = w.read().dataSync();
      for (let j = 0; j < k1.length; j += 5) expect(k1[j]).toBeCloseTo(0.5 * k0[i][j] + 0.5 * q0[i][j], 5);
    });
    const q1 = moco.queryBackbone.trainableWeights[0].read().dataSync();
    expect(Array.from(q1)).not.toEqual(Array.from(q0[0]));
    tf.dispose([a, b]);
    sgd.dispose();
    moco.dispose();
  });

  it('starts the key encoder equal to the query encoder (model clone) and keeps tensor counts stable over 50 steps', () => {
    const moco = createMoCo({ backbone: tinyBackbone(), queueSize: 32, dim: 4, momentum: 0.99 });
    const qw = moco.queryBackbone.getWeights().map((w) => Array.from(w.dataSync()));
    const kw = moco.keyBackbone.getWeights().map((w) => Array.from(w.dataSync()));
    expect(kw).toEqual(qw);
    const sgd = createSgd(moco.trainableVariables());
    const a = fakeImages(8, 16, 0);
    const b = fakeImages(8, 16, 3);
    moco.step(a, b, sgd, 0.05); // warm-up allocates lazily-created tensors
    const before = tf.memory().numTensors;
    const losses: number[] = [];
    for (let i = 0; i < 50; i++) losses.push(moco.step(a, b, sgd, 0.05));
    expect(tf.memory().numTensors).toBe(before);
    expect(losses.every(Number.isFinite)).toBe(true);
    expect(moco.queue.pointer).toBe((51 * 8) % 32);
    tf.dispose([a, b]);
    sgd.dispose();
    moco.dispose();
  });
});
