// Averaging ensembles on disk: three heads on one frozen embedder saved in half precision, loaded back on one
// shared embedder, scoring the mean of the members as each member loaded alone scores it.
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend } from '@mfr/core';
import { readImage } from '@mfr/core/node';
import {
  createGraphEmbedder,
  createSiamese,
  type Embedder,
  embedFace,
  loadSiamese,
  loadSiameseEnsemble,
  readoutSimilarity,
  type SiameseEnsemble,
  type SiameseModel,
} from '@mfr/siamese';
import { saveSiamese, saveSiameseEnsemble } from '@mfr/siamese/node';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { faceSlice } from './fixtures.js';

let dir: string;
let embedder: Embedder;
let faces: tf.Tensor3D[];
const descriptors = [0, 1].map((k) => Float32Array.from({ length: 128 }, (_, i) => Math.sin(i * (k + 1))));

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
  dir = await mkdtemp(join(tmpdir(), 'mfr-ensemble-'));
  embedder = await createGraphEmbedder({ preset: 'mobileface' });
  const [[, files]] = [...(await faceSlice(1))];
  faces = await Promise.all(
    files.map(async (f) => {
      const image = await readImage(f);
      const sized = tf.tidy(() => tf.image.resizeBilinear(image, [112, 112], false, true) as tf.Tensor3D);
      image.dispose();
      return sized;
    }),
  );
});
afterAll(async () => {
  tf.dispose(faces);
  embedder.dispose();
  await rm(dir, { recursive: true, force: true });
});

/** Three models on the same embedder object (disposed here part by part, the embedder once at the end). */
function threeModels(): SiameseModel[] {
  return [1, 2, 3].map((seed) =>
    createSiamese({ backbone: embedder, fused: ['faceapi'], adapterUnits: 16, headUnits: 8, seed }),
  );
}
const freeParts = (models: SiameseModel[]) => {
  for (const m of models) {
    m.head.dispose();
    m.adapter?.dispose();
  }
};

/** The output readout of face 0 against face 1. */
function score(model: SiameseModel | SiameseEnsemble): number {
  return tf.tidy(() => {
    const [a, b] = faces.map((f, i) => embedFace(model, f, descriptors[i]));
    return readoutSimilarity(model, a, b, 'output').dataSync()[0];
  });
}

describe('saveSiameseEnsemble / loadSiameseEnsemble', () => {
  it('scores the mean of its members, embeds each face once, and stores half-precision weights', async () => {
    const models = threeModels();
    const target = join(dir, 'three');
    await saveSiameseEnsemble(
      models,
      target,
      { recipe: 'test' },
      {
        weights: 'float16',
        memberMeta: [{ seed: 1 }, { seed: 2 }, { seed: 3 }],
      },
    );
    const originals = models.map(score);
    freeParts(models);
    const info = JSON.parse(await readFile(join(target, 'siamese.json'), 'utf8'));
    expect(info.members).toEqual(['member-1', 'member-2', 'member-3']);
    expect(JSON.parse(await readFile(join(target, 'member-2/siamese.json'), 'utf8')).meta).toEqual({
      seed: 2,
    });
    // adapter 384 x 16 and head 32 x 8 + 8 + 8 + 1 weights, two bytes each
    expect((await stat(join(target, 'member-1/adapter/weights.bin'))).size).toBe(384 * 16 * 2);
    expect((await stat(join(target, 'member-1/head/weights.bin'))).size).toBe((32 * 8 + 8 + 8 + 1) * 2);

    const alone: number[] = [];
    for (const name of info.members) {
      const member = await loadSiamese(join(target, name));
      alone.push(score(member));
      member.dispose();
    }
    const before = tf.memory().numTensors;
    let calls = 0;
    const counting: Embedder = {
      ...embedder,
      embed: (batch) => {
        calls++;
        return embedder.embed(batch);
      },
    };
    const ensemble = await loadSiameseEnsemble(target, { embedder: counting });
    expect(ensemble.members).toHaveLength(3);
    const mean = score(ensemble);
    expect(calls).toBe(2); // two faces, each embedded once for the three members
    expect(mean).toBeCloseTo((alone[0] + alone[1] + alone[2]) / 3, 6);
    // half precision moves the mean of the float32 models only a little
    expect(Math.abs(mean - (originals[0] + originals[1] + originals[2]) / 3)).toBeLessThan(2e-3);
    expect(new Set(alone).size).toBe(3); // the members differ
    ensemble.dispose();
    expect(tf.memory().numTensors).toBe(before);
    // the ensemble's own embedder, built from siamese.json, is freed with it
    const built = await loadSiameseEnsemble(target);
    expect(score(built)).toBeCloseTo(mean, 5);
    built.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('loads a single checkpoint as an ensemble of one with the same scores', async () => {
    const [model, ...rest] = threeModels();
    freeParts(rest);
    const target = join(dir, 'single');
    await saveSiamese(model, target);
    const expected = score(model);
    freeParts([model]);
    const ensemble = await loadSiameseEnsemble(target);
    expect(ensemble.members).toHaveLength(1);
    expect(score(ensemble)).toBe(expected);
    ensemble.dispose();
  });

  it('refuses members that do not fit together, and tells loadSiamese users where to go', async () => {
    const models = threeModels();
    const other = createSiamese({ backbone: embedder, fused: ['faceapi'], adapterUnits: 8, headUnits: 8 });
    await expect(saveSiameseEnsemble([models[0], other], join(dir, 'bad'))).rejects.toThrow(
      /model 1 has another config than model 0/,
    );
    const target = join(dir, 'tampered');
    await saveSiameseEnsemble(models, target);
    freeParts([...models, other]);
    await expect(loadSiamese(target)).rejects.toThrow(
      /is an averaging ensemble of 3 models; load it with loadSiameseEnsemble, or one member with loadSiamese\(".*member-1"\)/,
    );
    const memberInfo = join(target, 'member-3/siamese.json');
    const info = JSON.parse(await readFile(memberInfo, 'utf8'));
    info.config.headUnits = 4;
    await writeFile(memberInfo, JSON.stringify(info));
    const before = tf.memory().numTensors;
    await expect(loadSiameseEnsemble(target)).rejects.toThrow(/member ".*member-3" has another config/);
    expect(tf.memory().numTensors).toBe(before);
    const two = await loadSiameseEnsemble(join(dir, 'three'), { embedder });
    const wrong = tf.zeros([1, 16]) as tf.Tensor2D;
    expect(() => readoutSimilarity(two, wrong, wrong, 'output')).toThrow(
      /embeddings 1 have 16 values; the ensemble's members take 16 \+ 16 \+ 16 = 48/,
    );
    wrong.dispose();
    two.dispose();
  });
});
