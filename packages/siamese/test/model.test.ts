import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBackbone, initBackend } from '@mfr/core';
import {
  createEnsemble,
  createSiamese,
  embed,
  hiddenActivations,
  loadSiamese,
  READOUTS,
  similarity,
  similarityFromEmbeddings,
} from '@mfr/siamese';
import { saveSiamese } from '@mfr/siamese/node';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { randomImages, tinyBackbone } from './fixtures.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

describe('createSiamese', () => {
  it('has the paper head: 2d distance features -> dense 512 sigmoid -> dense 1 linear', () => {
    const model = createSiamese({ backbone: tinyBackbone() });
    expect(model.config.embeddingDim).toBe(8);
    expect(model.head.inputs[0].shape).toEqual([null, 16]);
    const [hidden, out] = model.head.layers;
    expect(hidden.getConfig().units).toBe(512);
    expect(hidden.getConfig().activation).toBe('sigmoid');
    expect(out.getConfig().units).toBe(1);
    expect(out.getConfig().activation).toBe('linear');
    model.dispose();
  });

  it('works with a core backbone (smallcnn, 32 px)', async () => {
    const model = createSiamese({
      backbone: createBackbone({ arch: 'smallcnn', inputSize: 32 }),
      headUnits: 16,
    });
    const before = tf.memory().numTensors;
    const images = randomImages(3, 40, 1); // other sizes are resized
    const e = await embed(model, images);
    expect(e.shape).toEqual([3, model.config.embeddingDim]);
    tf.dispose([e, images]);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('same image on both sides: distance 0, maximal fc512/embedding similarity, output in range', async () => {
    const model = createSiamese({ backbone: tinyBackbone() });
    const images = randomImages(4, 16, 2);
    const e = await embed(model, images);
    const h = hiddenActivations(model, e);
    expect(h.shape).toEqual([4, 512]);
    for (const readout of READOUTS) {
      const s = await similarity(model, images, images, { readout });
      for (const v of s) {
        expect(v).toBeGreaterThanOrEqual(0);
        expect(v).toBeLessThanOrEqual(1);
        if (readout !== 'output') expect(v).toBe(1);
      }
    }
    tf.dispose([images, e, h]);
    model.dispose();
  });

  it('is symmetric in reference and probe for every readout, and different images score below 1', async () => {
    const model = createSiamese({ backbone: tinyBackbone(), seed: 3 });
    const a = randomImages(5, 16, 3);
    const b = randomImages(5, 24, 4);
    for (const readout of READOUTS) {
      const ab = await similarity(model, a, b, { readout, batchSize: 2 });
      const ba = await similarity(model, b, a, { readout, batchSize: 3 });
      expect(Array.from(ab)).toEqual(Array.from(ba));
      for (const v of ab) {
        expect(v).toBeGreaterThan(0);
        expect(v).toBeLessThan(readout === 'output' ? 1 : 0.999999);
      }
    }
    tf.dispose([a, b]);
    model.dispose();
  });

  it('accepts lists of [h, w, 3] images and keeps the tensor count stable', async () => {
    const model = createSiamese({ backbone: tinyBackbone() });
    const batch = randomImages(3, 16, 5);
    const list = tf.unstack(batch) as tf.Tensor3D[];
    const before = tf.memory().numTensors;
    const fromList = await similarity(model, list, list.slice().reverse());
    const reversed = tf.reverse(batch, 0) as tf.Tensor4D;
    const fromBatch = await similarity(model, batch, reversed);
    reversed.dispose();
    expect(Array.from(fromList)).toEqual(Array.from(fromBatch));
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([batch, ...list]);
    model.dispose();
  });

  it('rejects mismatched reference and probe counts', async () => {
    const model = createSiamese({ backbone: tinyBackbone() });
    const a = randomImages(2, 16, 1);
    const b = randomImages(3, 16, 1);
    await expect(similarity(model, a, b)).rejects.toThrow(/2 references but 3 probes/);
    tf.dispose([a, b]);
    model.dispose();
  });
});

describe('createEnsemble', () => {
  it('returns the mean of its members', async () => {
    const m1 = createSiamese({ backbone: tinyBackbone(1), seed: 1 });
    const m2 = createSiamese({ backbone: tinyBackbone(7), seed: 9 });
    const a = randomImages(4, 16, 6);
    const b = randomImages(4, 16, 7);
    for (const readout of READOUTS) {
      const s1 = await similarity(m1, a, b, { readout });
      const s2 = await similarity(m2, a, b, { readout });
      const ens = await similarity(createEnsemble([m1, m2]), a, b, { readout });
      expect(s1[0]).not.toBeCloseTo(s2[0], 6);
      ens.forEach((v, i) => {
        expect(v).toBeCloseTo((s1[i] + s2[i]) / 2, 6);
      });
    }
    tf.dispose([a, b]);
    createEnsemble([m1, m2]).dispose();
  });
});

describe('saveSiamese / loadSiamese', () => {
  it('round-trips a LayersModel-backbone model with identical similarities', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mfr-siamese-ckpt-'));
    const model = createSiamese({ backbone: tinyBackbone(), seed: 5, backboneInfo: { arch: 'tiny' } });
    await saveSiamese(model, dir, { note: 'test' });
    const loaded = await loadSiamese(dir);
    expect(loaded.config).toEqual(model.config);
    const a = randomImages(3, 16, 8);
    const b = randomImages(3, 16, 9);
    const e1 = await embed(model, a);
    const e2 = await embed(model, b);
    for (const readout of READOUTS) {
      const s = await similarityFromEmbeddings(model, e1, e2, readout);
      const t = await similarity(loaded, a, b, { readout });
      s.forEach((v, i) => {
        expect(t[i]).toBeCloseTo(v, 6);
      });
    }
    tf.dispose([a, b, e1, e2]);
    model.dispose();
    loaded.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  it('names the missing file when the folder is not a checkpoint', async () => {
    await expect(loadSiamese('/nonexistent/ckpt')).rejects.toThrow(/siamese\.json cannot be read/);
  });
});
