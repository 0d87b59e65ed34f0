import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { alignFace, createRng, initBackend } from '@mfr/core';
import { readImage } from '@mfr/core/node';
import {
  createGraphEmbedder,
  createSiamese,
  type Embedder,
  presetModelLocation,
  splitPairDataset,
} from '@mfr/siamese';
import { createEmbeddingCache, createFaceLoader, loadPairDataset, trainSiamese } from '@mfr/siamese/node';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FACES_DIR, faceSlice, maskedCopy, tinyBackbone } from './fixtures.js';

const tmp: string[] = [];
beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});
afterAll(async () => {
  for (const d of tmp) await rm(d, { recursive: true, force: true });
});

// the sample-face crops put the face at about the same place in every 250x250 picture: rough 5 points
const FACE_FIVE: [number, number][] = [
  [105, 112],
  [145, 112],
  [125, 135],
  [108, 158],
  [142, 158],
];

describe('createGraphEmbedder', () => {
  it('mobileface: 256-d descriptors of aligned 112 px faces, deterministic, tensor-clean', async () => {
    const embedder = await createGraphEmbedder({ preset: 'mobileface' });
    expect(embedder).toMatchObject({ dim: 256, inputSize: 112, key: 'preset:mobileface' });
    const slice = await faceSlice(2, 1);
    const images = await Promise.all([...slice.values()].map((f) => readImage(f[0])));
    const aligned = images.map((im) => alignFace(im, FACE_FIVE, { size: 112 }));
    const batch = tf.stack(aligned) as tf.Tensor4D;
    const before = tf.memory().numTensors;
    const d1 = embedder.embed(batch);
    const d2 = embedder.embed(batch);
    expect(d1.shape).toEqual([2, 256]);
    const [a, b] = [await d1.array(), await d2.array()];
    expect(a).toEqual(b);
    expect(a[0].every(Number.isFinite)).toBe(true);
    expect(a[0]).not.toEqual(a[1]);
    tf.dispose([d1, d2]);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([batch, ...images, ...aligned]);
    embedder.dispose();
  });

  it('names the available outputs when the output node is wrong', async () => {
    await expect(
      createGraphEmbedder({
        modelPath: presetModelLocation('mobileface'),
        inputSize: 112,
        outputName: 'nope',
      }),
    ).rejects.toThrow(/has no output "nope"; its outputs: batchnorm0\/add_1/);
  });
});

// a frozen embedder built from a tiny conv net: counts how many faces it embeds
function countingEmbedder(): Embedder & { calls: number } {
  const net = tinyBackbone(11);
  const e = {
    key: 'test:tiny',
    dim: 8,
    inputSize: 16,
    spec: { modelPath: 'tiny', inputSize: 16, outputName: 'out' },
    calls: 0,
    embed(batch: tf.Tensor4D) {
      e.calls += batch.shape[0];
      return tf.tidy(() => net.predict(tf.div(batch, 255)) as tf.Tensor2D);
    },
    dispose: () => net.dispose(),
  };
  return e;
}

describe('embedding cache and head training on a frozen embedder', () => {
  it('embeds each image once, persists to disk, and trains only the head', async () => {
    const maskedDir = await maskedCopy(await faceSlice(10, 2), 'emb');
    const outDir = await mkdtemp(join(tmpdir(), 'mfr-siamese-emb-'));
    tmp.push(maskedDir, outDir);
    const embedder = countingEmbedder();
    const faces = createFaceLoader({ size: 16 });
    const file = join(outDir, 'cache.jsonl');
    const cache = createEmbeddingCache({
      embed: (x) => embedder.embed(x),
      modelKey: embedder.key,
      faces,
      file,
    });
    const refs = [{ path: join(FACES_DIR, 'face-01', '1.jpg') }];
    const first = await cache.get([...refs, ...refs]);
    const again = await cache.get(refs);
    expect(embedder.calls).toBe(1);
    expect(await again.array()).toEqual([(await first.array())[0]]);
    const reloaded = createEmbeddingCache({
      embed: () => tf.zeros([1, 8]) as tf.Tensor2D,
      modelKey: embedder.key,
      faces,
      file,
    });
    const fromDisk = await reloaded.get(refs);
    expect(reloaded.stats.computed).toBe(0);
    const [x, y] = [(await fromDisk.array())[0], (await again.array())[0]];
    x.forEach((v, i) => {
      expect(v).toBeCloseTo(y[i], 6);
    });
    tf.dispose([first, again, fromDisk]);

    const ds = await loadPairDataset({ dataDir: FACES_DIR, maskedDir });
    const { train, heldOut } = splitPairDataset(ds, 0.5, createRng(2));
    const model = createSiamese({ backbone: embedder, headUnits: 16 });
    const headBefore = model.head.getWeights().map((w) => Array.from(w.dataSync()));
    embedder.calls = 0;
    const result = await trainSiamese({
      model,
      train: [train],
      validation: [heldOut],
      faces,
      outDir,
      steps: 6,
      batchSize: 8,
      hardest: 2,
      validateEvery: 3,
      validationTrials: 10,
      validationImposters: 4,
      learningRate: 1e-2,
    });
    expect(result.steps).toBe(6);
    // 10 identities x 2 photos, unmasked + masked: at most 40 distinct images, each embedded once
    expect(embedder.calls).toBeLessThanOrEqual(40);
    expect(model.head.getWeights().map((w) => Array.from(w.dataSync()))).not.toEqual(headBefore);
    const saved = JSON.parse(await readFile(join(outDir, 'best', 'siamese.json'), 'utf8'));
    expect(saved.config.backbone).toEqual({ kind: 'embedder', spec: embedder.spec });
    faces.dispose();
    model.dispose();
  });
});
