import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRng, freezeFraction, initBackend } from '@mfr/core';
import {
  createSiamese,
  loadSiamese,
  type PairDataset,
  type SiameseModel,
  splitPairDataset,
} from '@mfr/siamese';
import { createFaceLoader, loadPairDataset, trainSiamese } from '@mfr/siamese/node';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FACES_DIR, faceSlice, maskedCopy, tinyBackbone } from './fixtures.js';

let maskedDir: string;
let train: PairDataset;
let heldOut: PairDataset;
const outDirs: string[] = [];

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
  maskedDir = await maskedCopy(await faceSlice(12, 2), 'train');
  const ds = await loadPairDataset({ dataDir: FACES_DIR, maskedDir, name: 'sample-faces' });
  ({ train, heldOut } = splitPairDataset(ds, 0.5, createRng(1)));
});

afterAll(async () => {
  await rm(maskedDir, { recursive: true, force: true });
  for (const d of outDirs) await rm(d, { recursive: true, force: true });
});

const weightsOf = (vars: { read(): tf.Tensor }[]) => vars.map((v) => Array.from(v.read().dataSync()));

/** A short run on the sample faces: small batches, frequent validation, every checkpoint kept. */
async function shortRun(model: SiameseModel, label: string) {
  const faces = createFaceLoader({ size: 16, cropFraction: 0.6 });
  const outDir = await mkdtemp(join(tmpdir(), `mfr-siamese-${label}-`));
  outDirs.push(outDir);
  const options = {
    model,
    train: [train],
    validation: [heldOut],
    faces,
    outDir,
    batchSize: 8,
    validateEvery: 2,
    validationTrials: 20,
    validationImposters: 4,
    keepThreshold: 0,
    learningRate: 1e-2,
  };
  return { faces, outDir, options };
}

describe('trainSiamese on real faces with synthetic masks', () => {
  it('keeps frozen layers fixed, updates the rest, logs, checkpoints, resumes, and does not leak tensors', async () => {
    const backbone = tinyBackbone();
    expect(freezeFraction(backbone, 0.5)).toBe(1); // 3 weighted layers: the first conv is frozen
    const model = createSiamese({ backbone, headUnits: 32 });
    const frozen = backbone.layers
      .filter((l) => !l.trainable && l.weights.length > 0)
      .flatMap((l) => l.weights);
    const free = backbone.trainableWeights;
    const frozenBefore = weightsOf(frozen);
    const freeBefore = weightsOf(free);
    const { faces, outDir, options } = await shortRun(model, 'train');
    const common = { ...options, hardest: 3 };
    // warm the face cache, then count tensors: training steps must not leave any behind
    await trainSiamese({ ...common, steps: 2 });
    const before = tf.memory().numTensors - faces.cached;
    const result = await trainSiamese({ ...common, steps: 4 }); // resumes at step 2
    expect(tf.memory().numTensors - faces.cached).toBe(before);
    expect(result.steps).toBe(4);
    expect(weightsOf(frozen)).toEqual(frozenBefore);
    expect(weightsOf(free)).not.toEqual(freeBefore);

    const log = (await readFile(join(outDir, 'log.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(log.map((l) => l.step)).toEqual([0, 2, 4]);
    for (const l of log) {
      expect(l.valPrecision).toBeGreaterThanOrEqual(0);
      expect(l.valPrecision).toBeLessThanOrEqual(1);
    }
    expect(result.bestValPrecision).toBe(Math.max(...log.map((l) => l.valPrecision)));
    expect(result.checkpoints).toContain(join(outDir, 'best'));
    expect(result.checkpoints.filter((c) => c.includes('step-'))).toHaveLength(3); // threshold 0 keeps all
    expect(result.imagesPerSecond).toBeGreaterThan(0);

    const best = await loadSiamese(join(outDir, 'best'));
    expect(best.config).toEqual(model.config);
    best.dispose();
    faces.dispose();
    model.dispose();
  });
});

describe('trainSiamese with an adapter', () => {
  it('trains the adapter with the head and checkpoints it', async () => {
    const model = createSiamese({ backbone: tinyBackbone(), headUnits: 8, adapterUnits: 4 });
    const adapterBefore = weightsOf(model.adapter!.trainableWeights);
    const { faces, outDir, options } = await shortRun(model, 'adapter');
    await trainSiamese({ ...options, steps: 2 });
    expect(weightsOf(model.adapter!.trainableWeights)).not.toEqual(adapterBefore);
    const last = await loadSiamese(join(outDir, 'last'));
    expect(last.config.adapterUnits).toBe(4);
    expect(weightsOf(last.adapter!.trainableWeights)).toEqual(weightsOf(model.adapter!.trainableWeights));
    last.dispose();
    faces.dispose();
    model.dispose();
  });
});
