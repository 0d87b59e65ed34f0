/**
 * Siamese training: hard-imposter pairs -> binary cross-entropy on the head's logits, with periodic 1-of-20
 * validation on held-out identities, kept checkpoints, a JSON-lines log and resumable state.
 *
 * Output folder:
 * - `log.jsonl`            one line per validation (step, precision, loss, images/s, ...)
 * - `best/`                the checkpoint with the highest validation precision so far
 * - `checkpoints/step-N/`  every checkpoint whose precision >= `keepThreshold`
 * - `last/` + `state.json` the latest state (model, optimizer, sampler RNG, history) for `resume`
 */
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { inShard, type RngState, type Shard } from '@mfr/core';
import { loadLayersModelFromDisk, writeFileAtomic, writeFolderAtomic } from '@mfr/core/node';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { createEmbeddingCache, type EmbeddingCache } from '../embedders/embedding-cache.js';
import { SIAMESE_CHECKPOINT_FILE } from '../model/checkpoint.js';
import { READOUTS, type Readout, readoutSimilarity } from '../model/readouts.js';
import { saveSiamese } from '../model/save-siamese.js';
import type { SiameseModel } from '../model/siamese.js';
import type { PairDataset } from '../pairs/pair-dataset.js';
import { createPairSampler, type Pair } from '../pairs/sampler.js';
import type { FaceLoader, FaceRef } from './faces.js';
import {
  createOptimizer,
  loadOptimizerState,
  type OptimizerOptions,
  saveOptimizerState,
} from './optimizer.js';
import { createValidationTrials, oneOfNPrecision, type ValidationTrial } from './validation.js';

/** Options for {@link trainSiamese}. Defaults follow the paper where it gives them. */
export interface TrainSiameseOptions extends OptimizerOptions {
  model: SiameseModel;
  /** Training pair datasets (identities disjoint from `validation`). */
  train: readonly PairDataset[];
  /** Held-out pair datasets for the 1-of-20 validation. */
  validation: readonly PairDataset[];
  /** Loads faces at the model's input size (see createFaceLoader). */
  faces: FaceLoader;
  /** Output folder (created). */
  outDir: string;
  /** Optimisation steps. Default 1000. */
  steps?: number;
  /** Pairs per step (half authentic). Default 32. */
  batchSize?: number;
  /** Dataset choice per pair. Default 'uniform'. */
  sampling?: 'uniform' | 'stratified';
  /** Imposter candidates per imposter pair (the most similar is kept). Default 1. */
  hardest?: number;
  /** Readout used to pick hard imposters and for validation. Default 'output'. */
  readout?: Readout;
  /** Validate every N steps (and after the last). Default 100. */
  validateEvery?: number;
  /** Validation trials. Default 400. */
  validationTrials?: number;
  /** Imposters per trial. Default 19. */
  validationImposters?: number;
  /** Keep a checkpoint when validation precision >= this. Default 0.9. */
  keepThreshold?: number;
  /** Seed of pair sampling and validation trials. Default 0. */
  seed?: number;
  /** Continue from `outDir/state.json` when present. Default true. */
  resume?: boolean;
  /** Persist frozen-embedder descriptors here (JSON lines). Default `<outDir>/embeddings.jsonl`. */
  embeddingCacheFile?: string;
  /** Run a LayersModel backbone in training mode (batch-norm batch statistics). Default false: inference mode, so frozen layers stay exactly fixed. */
  backboneTrainingMode?: boolean;
  /** Embed every training and validation image before the first step (frozen embedders only). Default true. */
  prewarm?: boolean;
  /**
   * Only fill the frozen-embedder cache with this shard's faces (those whose path hashes to it, see `inShard` in
   * @mfr/core), writing a shard file of its own beside `embeddingCacheFile`, and return without training (`steps`
   * 0, `shardFaces` set). Run every shard, on any machines that share the cache file, then train without a shard:
   * it finds every descriptor cached. Frozen embedders only. Default: none.
   */
  shard?: Shard | null;
  /** Called while prewarming the embedding cache. */
  onPrewarm?: (done: number, total: number) => void;
  /** Extra metadata stored in checkpoints. */
  meta?: Record<string, unknown>;
  /** Called after every step. */
  onStep?: (info: { step: number; steps: number; loss: number; imagesPerSecond: number }) => void;
  /** Called after every validation with the log line. */
  onValidation?: (entry: ValidationLogEntry) => void;
}

/** One `log.jsonl` line. */
export interface ValidationLogEntry {
  step: number;
  valPrecision: number;
  /** Precision of every readout on the same trials (for a frozen embedder, `embedding` is the extractor alone). */
  valPrecisionByReadout: Record<Readout, number>;
  readout: Readout;
  /** Mean training loss since the previous validation. */
  trainLoss: number;
  imagesPerSecond: number;
  elapsedSeconds: number;
  kept: boolean;
  best: boolean;
  time: string;
}

/** Result of {@link trainSiamese}. */
export interface TrainSiameseResult {
  steps: number;
  bestValPrecision: number;
  bestStep: number;
  /** Folders of kept checkpoints (precision >= threshold), plus `best`. */
  checkpoints: string[];
  bestCheckpoint: string;
  /** Training images (2 per pair) per second of training time (validation excluded). */
  imagesPerSecond: number;
  history: ValidationLogEntry[];
  /** With `shard`: the faces of that shard now in the embedding cache. */
  shardFaces?: number;
}

interface TrainerState {
  step: number;
  samplerState: RngState;
  bestValPrecision: number;
  bestStep: number;
  checkpoints: string[];
  history: ValidationLogEntry[];
  trainSeconds: number;
  trainImages: number;
}

const pad = (n: number) => String(n).padStart(7, '0');

const writeJsonAtomic = (file: string, value: unknown) =>
  writeFileAtomic(file, `${JSON.stringify(value, null, 2)}\n`);

async function copyWeightsFrom(target: tfl.LayersModel, dir: string): Promise<void> {
  const saved = await loadLayersModelFromDisk(dir);
  try {
    target.setWeights(saved.getWeights());
  } finally {
    saved.dispose();
  }
}

const probeRef = (p: { path: string; source: string; landmarks68?: [number, number][] }): FaceRef => ({
  path: p.path,
  geometrySource: p.source,
  ...(p.landmarks68 ? { landmarks68: p.landmarks68 } : {}),
});

/**
 * Trains a Siamese model in place and returns the best validation precision and the kept checkpoints.
 *
 * @example
 * const result = await trainSiamese({ model, train: [lfwTrain], validation: [lfwHeld], faces, outDir: 'out/run1',
 *   steps: 2000, hardest: 4, validateEvery: 200 });
 * result.bestValPrecision; // e.g. 0.62
 */
export async function trainSiamese(options: TrainSiameseOptions): Promise<TrainSiameseResult> {
  const { model, faces, outDir } = options;
  const steps = options.steps ?? 1000;
  const batchSize = options.batchSize ?? 32;
  const readout = options.readout ?? 'output';
  const validateEvery = options.validateEvery ?? 100;
  const keepThreshold = options.keepThreshold ?? 0.9;
  const seed = options.seed ?? 0;
  const trainingMode = options.backboneTrainingMode ?? false;
  if (!Number.isInteger(steps) || steps < 0)
    throw new Error(`trainSiamese: steps must be an integer >= 0, got ${steps}`);
  if (!Number.isInteger(batchSize) || batchSize < 2)
    throw new Error(`trainSiamese: batchSize must be an integer >= 2, got ${batchSize}`);
  if (faces.size !== model.config.inputSize[0]) {
    throw new Error(
      `trainSiamese: the face loader makes ${faces.size} px faces but the model takes ${model.config.inputSize[0]} px`,
    );
  }
  const shard = options.shard ?? null;
  if (shard && !model.embedder)
    throw new Error(
      'trainSiamese: a shard only fills the frozen-embedder cache, and this model has no frozen embedder (its ' +
        'backbone trains); train it without a shard',
    );
  await mkdir(outDir, { recursive: true });

  // frozen embedders: each image's descriptor is computed once
  let cache: EmbeddingCache | null = null;
  if (model.embedder) {
    const embedder = model.embedder;
    cache = createEmbeddingCache({
      embed: (x) => embedder.embed(x),
      modelKey: embedder.key,
      faces,
      file: options.embeddingCacheFile ?? join(outDir, 'embeddings.jsonl'),
      shard,
    });
  }

  // manifest landmarks of unmasked photos, so references need no detection either
  const sourceLandmarks = new Map<string, [number, number][]>();
  for (const ds of [...options.train, ...options.validation]) {
    for (const identity of ds.identities) {
      for (const p of identity.probes) if (p.landmarks68) sourceLandmarks.set(p.source, p.landmarks68);
    }
  }
  const refOf = (path: string): FaceRef => {
    const lm = sourceLandmarks.get(path);
    return lm ? { path, landmarks68: lm } : { path };
  };

  // prepared embeddings of faces, batched, inference mode
  const embedFaces = async (refs: readonly FaceRef[]): Promise<tf.Tensor2D> => {
    if (cache) {
      const raw = await cache.get(refs);
      const e = model.prepareEmbedding(raw);
      raw.dispose();
      return e;
    }
    const parts: tf.Tensor2D[] = [];
    for (let start = 0; start < refs.length; start += 32) {
      const batch = await faces.loadBatch(refs.slice(start, start + 32));
      parts.push(tf.tidy(() => model.prepareEmbedding(model.embedImages(batch, false))));
      batch.dispose();
    }
    if (parts.length === 1) return parts[0];
    const all = tf.concat(parts, 0) as tf.Tensor2D;
    tf.dispose(parts);
    return all;
  };

  const scorePairs = async (pairs: readonly Pair[]): Promise<Float32Array> => {
    const e1 = await embedFaces(pairs.map((p) => refOf(p.reference)));
    const e2 = await embedFaces(
      pairs.map((p) => probeRef({ path: p.probe, source: p.probeSource, landmarks68: p.probeLandmarks68 })),
    );
    const s = readoutSimilarity(model, e1, e2, readout);
    const out = (await s.data()) as Float32Array;
    tf.dispose([e1, e2, s]);
    return out;
  };

  const sampler = createPairSampler(options.train, {
    seed,
    sampling: options.sampling ?? 'uniform',
    hardest: options.hardest ?? 1,
    score: scorePairs,
  });
  const trials: ValidationTrial[] = createValidationTrials(options.validation, {
    trials: options.validationTrials ?? 400,
    imposters: options.validationImposters ?? 19,
    seed: `${seed}:validation`,
  });

  // precision of every readout on the same trials (the chosen one drives checkpoints)
  const validate = async (): Promise<Record<Readout, number>> => {
    const unique = new Map<string, FaceRef>();
    for (const t of trials) {
      unique.set(t.probe.path, probeRef(t.probe));
      for (const r of [t.authentic, ...t.imposters]) unique.set(r, refOf(r));
    }
    const list = [...unique.values()];
    const index = new Map(list.map((f, i) => [f.path, i]));
    const all = await embedFaces(list);
    const refIdx: number[] = [];
    const probeIdx: number[] = [];
    for (const t of trials) {
      for (const r of [t.authentic, ...t.imposters]) {
        refIdx.push(index.get(r)!);
        probeIdx.push(index.get(t.probe.path)!);
      }
    }
    const e1 = tf.tidy(() => tf.gather(all, tf.tensor1d(refIdx, 'int32')) as tf.Tensor2D);
    const e2 = tf.tidy(() => tf.gather(all, tf.tensor1d(probeIdx, 'int32')) as tf.Tensor2D);
    const width = trials[0].imposters.length + 1;
    const result = {} as Record<Readout, number>;
    for (const r of READOUTS) {
      const scoresT = readoutSimilarity(model, e1, e2, r);
      const scores = (await scoresT.data()) as Float32Array;
      scoresT.dispose();
      result[r] = oneOfNPrecision(trials.map((_, i) => scores.subarray(i * width, (i + 1) * width)));
    }
    tf.dispose([all, e1, e2]);
    return result;
  };

  const optimizer = createOptimizer(options);
  const trainable: tfl.LayerVariable[] = [
    ...(model.backbone?.trainableWeights ?? []),
    ...(model.adapter?.trainableWeights ?? []),
    ...model.head.trainableWeights,
  ];
  const varList = trainable.map((w) => w.read() as tf.Variable);

  // resume
  const statePath = join(outDir, 'state.json');
  const lastDir = join(outDir, 'last');
  let state: TrainerState = {
    step: 0,
    samplerState: sampler.getState(),
    bestValPrecision: -1,
    bestStep: -1,
    checkpoints: [],
    history: [],
    trainSeconds: 0,
    trainImages: 0,
  };
  if (options.resume ?? true) {
    try {
      const saved = JSON.parse(await readFile(statePath, 'utf8')) as TrainerState;
      await copyWeightsFrom(model.head, join(lastDir, 'head'));
      if (model.adapter) await copyWeightsFrom(model.adapter, join(lastDir, 'adapter'));
      if (model.backbone) await copyWeightsFrom(model.backbone, join(lastDir, 'backbone'));
      state = saved;
      sampler.setState(saved.samplerState);
      await loadOptimizerState(optimizer, lastDir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }

  const logPath = join(outDir, 'log.jsonl');
  let lossSum = 0;
  let lossCount = 0;
  const startedAt = Date.now();

  const runValidation = async (): Promise<void> => {
    const byReadout = await validate();
    const precision = byReadout[readout];
    const best = precision > state.bestValPrecision;
    const kept = precision >= keepThreshold;
    const meta = { ...options.meta, step: state.step, valPrecision: precision, readout };
    if (kept) {
      const dir = join(outDir, 'checkpoints', `step-${pad(state.step)}`);
      await saveSiamese(model, dir, meta);
      if (!state.checkpoints.includes(dir)) state.checkpoints.push(dir);
    }
    if (best) {
      state.bestValPrecision = precision;
      state.bestStep = state.step;
      await writeFolderAtomic(join(outDir, 'best'), (staging) => saveSiamese(model, staging, meta), {
        marker: SIAMESE_CHECKPOINT_FILE,
      });
    }
    const entry: ValidationLogEntry = {
      step: state.step,
      valPrecision: precision,
      valPrecisionByReadout: byReadout,
      readout,
      trainLoss: lossCount > 0 ? lossSum / lossCount : Number.NaN,
      imagesPerSecond: state.trainSeconds > 0 ? state.trainImages / state.trainSeconds : 0,
      elapsedSeconds: (Date.now() - startedAt) / 1000,
      kept,
      best,
      time: new Date().toISOString(),
    };
    lossSum = 0;
    lossCount = 0;
    state.history.push(entry);
    await appendFile(logPath, `${JSON.stringify(entry)}\n`);
    options.onValidation?.(entry);
    // state for resume
    await saveSiamese(model, lastDir, meta);
    if (state.step > 0) await saveOptimizerState(optimizer, lastDir);
    state.samplerState = sampler.getState();
    await writeJsonAtomic(statePath, state);
  };

  if (cache && (shard || (options.prewarm ?? true))) {
    const all = new Map<string, FaceRef>();
    for (const ds of [...options.train, ...options.validation]) {
      for (const identity of ds.identities) {
        for (const r of identity.references) all.set(r, refOf(r));
        for (const p of identity.probes) all.set(p.path, probeRef(p));
      }
    }
    const list = [...all.values()].filter((face) => inShard(face.path, shard));
    for (let start = 0; start < list.length; start += 64) {
      (await cache.get(list.slice(start, start + 64))).dispose();
      options.onPrewarm?.(Math.min(list.length, start + 64), list.length);
    }
    if (shard) {
      optimizer.dispose();
      return {
        steps: 0,
        bestValPrecision: state.bestValPrecision,
        bestStep: state.bestStep,
        checkpoints: [],
        bestCheckpoint: '',
        imagesPerSecond: 0,
        history: [],
        shardFaces: list.length,
      };
    }
  }

  try {
    if (state.step === 0 && state.history.length === 0) await runValidation();
    while (state.step < steps) await trainStep();
  } finally {
    optimizer.dispose();
  }

  return {
    steps: state.step,
    bestValPrecision: state.bestValPrecision,
    bestStep: state.bestStep,
    checkpoints: [...state.checkpoints, join(outDir, 'best')],
    bestCheckpoint: join(outDir, 'best'),
    imagesPerSecond: state.trainSeconds > 0 ? state.trainImages / state.trainSeconds : 0,
    history: state.history,
  };

  async function trainStep(): Promise<void> {
    const t0 = performance.now();
    const pairs = await sampler.batch(batchSize);
    const refFaces = pairs.map((p) => refOf(p.reference));
    const probeFaces = pairs.map((p) =>
      probeRef({ path: p.probe, source: p.probeSource, landmarks68: p.probeLandmarks68 }),
    );
    const labels = tf.tensor1d(
      pairs.map((p) => p.label),
      'float32',
    );
    let inputs: tf.Tensor[];
    let lossFn: () => tf.Scalar;
    if (cache) {
      const r = await cache.get(refFaces);
      const p = await cache.get(probeFaces);
      inputs = [r, p];
      lossFn = () => {
        const logits = model.logits(model.prepareEmbedding(r), model.prepareEmbedding(p));
        return tf.losses.sigmoidCrossEntropy(labels, logits) as tf.Scalar;
      };
    } else {
      // one pass of 2B images through the shared backbone
      const both = await faces.loadBatch([...refFaces, ...probeFaces]);
      inputs = [both];
      lossFn = () => {
        const e = model.prepareEmbedding(model.embedImages(both as tf.Tensor4D, trainingMode));
        const [e1, e2] = tf.split(e, 2, 0) as [tf.Tensor2D, tf.Tensor2D];
        return tf.losses.sigmoidCrossEntropy(labels, model.logits(e1, e2)) as tf.Scalar;
      };
    }
    const lossT = optimizer.minimize(lossFn, true, varList);
    const loss = lossT ? (await lossT.data())[0] : Number.NaN;
    tf.dispose([lossT as tf.Tensor, labels, ...inputs]);
    if (!Number.isFinite(loss))
      throw new Error(`trainSiamese: loss became ${loss} at step ${state.step + 1}; lower the learning rate`);
    lossSum += loss;
    lossCount++;
    state.step++;
    state.trainSeconds += (performance.now() - t0) / 1000;
    state.trainImages += 2 * batchSize;
    options.onStep?.({
      step: state.step,
      steps,
      loss,
      imagesPerSecond: state.trainImages / state.trainSeconds,
    });
    if (state.step % validateEvery === 0 || state.step === steps) await runValidation();
  }
}
