import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ImageLoader, type PretrainImage, precisionAtOneOfN } from '@mfr/contrastive';
import {
  collectPretrainImages,
  exportBackbone,
  readCheckpoint,
  readMaskedCopies,
  trainMoCo,
} from '@mfr/contrastive/node';
import { initBackend } from '@mfr/core';
import { loadLayersModelFromDisk } from '@mfr/core/node';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tinyBackbone } from './helpers.js';

const work = mkdtempSync(join(tmpdir(), 'mfr-contrastive-'));

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

// Synthetic "faces": a colour per identity plus per-image noise; masked copies have a dark lower half.
const hash = (text: string) => [...text].reduce((h, c) => (Math.imul(h, 31) + c.charCodeAt(0)) >>> 0, 7);
const fakeLoader: ImageLoader = async (path, size) =>
  tf.tidy(() => {
    const identity = path.split('/').at(-2) ?? '';
    const base = tf.tensor1d([
      hash(identity) % 256,
      (hash(identity) >> 8) % 256,
      (hash(identity) >> 16) % 256,
    ]);
    const noise = tf.randomUniform([size, size, 3], 0, 60, 'float32', hash(path));
    let image = tf.clipByValue(tf.add(tf.mul(base, 0.7), noise), 0, 255);
    if (path.includes('masked')) {
      const rows = tf.reshape(tf.cast(tf.greater(tf.range(0, size), size / 2), 'float32'), [size, 1, 1]);
      image = tf.mul(image, tf.sub(1, tf.mul(rows, 0.8)));
    }
    return image as tf.Tensor3D;
  });

function fakeSet(identities: number, perIdentity: number, prefix: string): PretrainImage[] {
  const images: PretrainImage[] = [];
  for (let i = 0; i < identities; i++) {
    for (let j = 0; j < perIdentity; j++) {
      images.push({
        path: `/${prefix}/id${i}/${j}.png`,
        identity: `id${i}`,
        maskedPath: `/${prefix}-masked/id${i}/${j}.png`,
      });
    }
  }
  return images;
}

const base = {
  backbone: () => tinyBackbone(16),
  images: { train: fakeSet(6, 4, 'train'), val: fakeSet(21, 2, 'val') },
  imageSize: 16,
  batchSize: 8,
  steps: 4,
  moco: { queueSize: 32, dim: 8, bnSplits: 2 },
  valEvery: 2,
  valTrials: 10,
  checkpointEvery: 2,
  loadImage: fakeLoader,
  seed: 5,
};

describe('trainMoCo', () => {
  it('resumes from a checkpoint with the same batches and losses as an uninterrupted run', async () => {
    const full = await trainMoCo({ ...base, checkpointDir: join(work, 'full') });
    expect(full.steps).toBe(4);
    expect(full.losses).toHaveLength(4);
    expect(full.baselinePrecision).toBeGreaterThanOrEqual(0);
    expect(full.valMasked).toBe(true);
    expect(full.history.filter((h) => h.valPrecision !== undefined).map((h) => h.step)).toEqual([0, 2, 4]);

    const dir = join(work, 'resumed');
    const first = await trainMoCo({ ...base, checkpointDir: dir, stopAtStep: 2 });
    expect(first.steps).toBe(2);
    const meta = (await readCheckpoint(dir)).meta;
    expect(meta.step).toBe(2);
    // fresh model, optimizer and data objects, as in a new process
    const before = tf.memory().numTensors;
    const second = await trainMoCo({ ...base, checkpointDir: dir, resume: true });
    expect(tf.memory().numTensors).toBe(before);
    expect(second.steps).toBe(4);
    expect(second.baselinePrecision).toBeNull();
    expect(second.losses).toHaveLength(2);
    expect(first.losses[0]).toBeCloseTo(full.losses[0], 5);
    expect(second.losses[0]).toBeCloseTo(full.losses[2], 5);
    expect(second.losses[1]).toBeCloseTo(full.losses[3], 5);
    expect(second.history.length).toBeGreaterThan(first.history.length);
  });

  it('refuses to resume with different options', async () => {
    await expect(
      trainMoCo({ ...base, batchSize: 16, checkpointDir: join(work, 'full'), resume: true }),
    ).rejects.toThrow(/batchSize was 8, now 16/);
  });

  it('exports the query backbone as a loadable LayersModel', async () => {
    const out = join(work, 'exported');
    const { embeddingSize } = await exportBackbone(join(work, 'full'), out);
    expect(embeddingSize).toBe(8);
    const model = await loadLayersModelFromDisk(out);
    const { tensors } = await readCheckpoint(join(work, 'full'));
    const saved = tensors.get('query/backbone/0') as tf.Tensor;
    expect(model.getWeights()[0].shape).toEqual([3, 3, 3, 4]);
    expect(Array.from(model.getWeights()[0].dataSync())).toEqual(Array.from(saved.dataSync()));
    // trained: differs from the key encoder's copy
    expect(Array.from(saved.dataSync())).not.toEqual(
      Array.from((tensors.get('key/backbone/0') as tf.Tensor).dataSync()),
    );
    model.dispose();
    tf.dispose([...tensors.values()]);
  });
});

describe('validation precision', () => {
  it('counts a trial only when the authentic candidate wins outright', () => {
    const trials = [
      { probe: 'p', authentic: 'a', imposters: ['i1', 'i2'] },
      { probe: 'p', authentic: 'i1', imposters: ['a', 'i2'] },
    ];
    const embeddings = new Map<string, number[]>([
      ['p', [1, 0]],
      ['a', [0.9, 0.1]],
      ['i1', [0, 1]],
      ['i2', [-1, 0]],
    ]);
    expect(precisionAtOneOfN(trials, embeddings)).toBe(0.5);
    expect(precisionAtOneOfN(trials, embeddings, 'inverse-l2')).toBe(0.5);
    const constant = new Map([...embeddings.keys()].map((k) => [k, [1, 1]]));
    expect(precisionAtOneOfN(trials, constant)).toBe(0);
  });
});

describe('mask manifest and image collection', () => {
  it('matches masked copies to dataset images; a junk line is an error naming the line', async () => {
    const data = join(work, 'data');
    const masked = join(work, 'masked');
    for (let i = 0; i < 3; i++) {
      mkdirSync(join(data, `person${i}`), { recursive: true });
      for (let j = 0; j < 2; j++) writeFileSync(join(data, `person${i}`, `${j}.png`), '');
    }
    mkdirSync(masked, { recursive: true });
    writeFileSync(
      join(masked, 'manifest.jsonl'),
      [
        JSON.stringify({ source: 'person0/0.png', output: 'person0/0.png', status: 'masked' }),
        JSON.stringify({ source: join(data, 'person1/1.png'), output: '/abs/p1.png', status: 'masked' }),
        JSON.stringify({ source: 'person2/0.png', output: 'person2/0.png', status: 'no-face' }),
        '',
      ].join('\n'),
    );
    const manifest = readMaskedCopies(masked);
    expect(manifest.masked).toHaveLength(2);
    expect(manifest.skipped).toBe(1);
    expect(manifest.masked[0].output).toBe(join(masked, 'person0/0.png'));
    const { train, val, maskedCount } = await collectPretrainImages({
      data: [data],
      masked: [masked],
      valIdentities: 1,
      seed: 1,
    });
    expect(train.length + val.length).toBe(6);
    expect(maskedCount.train + maskedCount.val).toBe(2);
    expect(new Set(val.map((v) => v.identity)).size).toBe(1);
    const p1 = [...train, ...val].find((image) => image.path === join(data, 'person1/1.png'));
    expect(p1?.maskedPath).toBe('/abs/p1.png');
    expect(() => readMaskedCopies(join(work, 'nowhere'))).toThrow(/Mask manifest not found/);
    const junk = join(work, 'junk');
    mkdirSync(junk);
    writeFileSync(join(junk, 'manifest.jsonl'), 'not json\n{"source":"a.png","status":"masked"}\n');
    expect(() => readMaskedCopies(junk)).toThrow(/junk\/manifest\.jsonl" line 1 is not valid JSON/);
  });
});
