/**
 * The MoCo v2 pre-training loop: streamed batches, two augmented views per image (one may be the image's
 * masked copy), SGD with momentum and a cosine schedule, periodic monitoring and atomic checkpoints that
 * resume bit-for-bit on the same backend.
 */
import { type BackboneOptions, createBackbone } from '@mfr/core';
import { readImage } from '@mfr/core/node';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { type AugmentOptions, augmentBatch } from '../augment/augment_batch.js';
import {
  createBatchPlanner,
  disposeBatch,
  type ImageLoader,
  loadBatch,
  prefetchBatches,
} from '../data/batches.js';
import type { PretrainImage } from '../data/images.js';
import { createMoCo, type MoCo, type MoCoOptions } from '../moco/moco.js';
import { readCheckpoint, writeCheckpoint } from './checkpoint.js';
import { cosineLearningRate, scaledLearningRate } from './schedule.js';
import { createSgd } from './sgd.js';
import {
  buildValidationTrials,
  embedPaths,
  precisionAtOneOfN,
  type SimilarityKind,
  trialPaths,
} from './validation.js';

/** Options for {@link trainMoCo}. Defaults follow the paper / MoCo v2 where they have one. */
export interface PretrainOptions {
  /** `createBackbone` options from @mfr/core (stored in checkpoints), or a factory for a custom model. */
  backbone: BackboneOptions | (() => tfl.LayersModel);
  /** Training images and (optional) held-out validation images; see `collectPretrainImages`. */
  images: { train: readonly PretrainImage[]; val?: readonly PretrainImage[] };
  /** Side of the network input in pixels. */
  imageSize: number;
  batchSize: number;
  /** Total steps of the schedule. Give `steps` or `epochs`. */
  steps?: number;
  /** Epochs over the training images (steps = floor(epochs * images / batch)). */
  epochs?: number;
  /** Learning rate at batch 128, scaled linearly with the batch. Default 0.015 (the paper). */
  lr?: number;
  /** SGD momentum. Default 0.9. */
  sgdMomentum?: number;
  /** Weight decay. Default 1e-4. */
  weightDecay?: number;
  /** MoCo options (dim 128, queue 65536, m 0.999, T 0.2, MLP head, shuffleBN 'split'). */
  moco?: Omit<MoCoOptions, 'backbone' | 'seed'>;
  /** Augmentation options (MoCo v2 aug+ by default); `size` is always `imageSize`. */
  augment?: Omit<AugmentOptions, 'size'>;
  /**
   * Central fraction of each image that holds the face (crops are drawn from it, validation uses it).
   * Default 1 (the whole image; use ~0.6 for LFW's 250 px deep-funneled images).
   */
  faceFraction?: number;
  /** Probability that one view of an image with a masked copy is that copy. Default 0.5. */
  maskedViewProbability?: number;
  /** Seed of everything random. Default 0. */
  seed?: number;
  /** Checkpoint folder. Default none (no checkpoints). */
  checkpointDir?: string;
  /** Steps between checkpoints (and one at the end). Default 500. */
  checkpointEvery?: number;
  /** Continue from `checkpointDir` if it holds a checkpoint. Default false. */
  resume?: boolean;
  /** Steps between validations (and one before the first step and at the end). 0 turns it off. Default 250. */
  valEvery?: number;
  /** Number of 1-of-20 trials. Default 200. */
  valTrials?: number;
  /** Similarity for validation. Default 'cosine'. */
  similarity?: SimilarityKind;
  /** Steps between progress events. Default 10. */
  logEvery?: number;
  /** Batches loaded ahead. Default 3. */
  prefetch?: number;
  /** Stop after this step although the schedule is longer (e.g. to resume later). Default: the end. */
  stopAtStep?: number;
  /** Image reader (default @mfr/core `readImage` resized while decoding). */
  loadImage?: ImageLoader;
  /** Called every `logEvery` steps and after each validation. */
  onProgress?: (event: PretrainProgress) => void;
}

/** A monitoring record. */
export interface PretrainProgress {
  step: number;
  totalSteps: number;
  loss: number;
  lr: number;
  imagesPerSecond: number;
  /** Masked-to-unmasked 1-of-20 precision when validated at this step. */
  valPrecision?: number;
}

/** What {@link trainMoCo} returns. */
export interface PretrainResult {
  /** Steps completed in total (including resumed ones). */
  steps: number;
  totalSteps: number;
  /** Steps run in this call (0 when a finished run was resumed). */
  stepsThisRun: number;
  /** Loss of the run's last step, from the checkpoint's history when this call ran no step. */
  finalLoss: number;
  /**
   * Training images per second over this call's steps (two views each; excludes validation and checkpoints);
   * null when this call ran no step.
   */
  imagesPerSecond: number | null;
  /** Last validation precision (null when validation is off). */
  valPrecision: number | null;
  /** Precision before training (random weights), when this run started at step 0. */
  baselinePrecision: number | null;
  /** Whether validation probes were masked copies (false: unmasked-to-unmasked). */
  valMasked: boolean | null;
  /** Loss of every step run in this call. */
  losses: number[];
  /** Monitoring records of the whole run, including earlier resumed parts. */
  history: PretrainProgress[];
}

const defaultLoader: ImageLoader = (path, size) => readImage(path, { size: [size, size] });

function faceBox(fraction: number): [number, number, number, number] {
  const margin = (1 - fraction) / 2;
  return [margin, margin, 1 - margin, 1 - margin];
}

/**
 * Pre-trains a backbone with MoCo v2.
 *
 * @example
 * const { train, val } = await collectPretrainImages({ data: ['../shared/datasets/lfw/images'], minImagesPerIdentity: 5 });
 * const result = await trainMoCo({
 *   backbone: { arch: 'resnet18', inputSize: 64, widths: [32, 64, 128, 256] },
 *   images: { train, val }, imageSize: 64, batchSize: 64, steps: 2000,
 *   moco: { queueSize: 4096 }, faceFraction: 0.6, checkpointDir: 'out/moco',
 * });
 */
export async function trainMoCo(options: PretrainOptions): Promise<PretrainResult> {
  const { imageSize, batchSize, seed = 0, faceFraction = 1, valEvery = 250, logEvery = 10 } = options;
  const { checkpointEvery = 500, prefetch = 3, similarity = 'cosine', loadImage = defaultLoader } = options;
  const train = options.images.train;
  if (!Number.isInteger(batchSize) || batchSize < 2)
    throw new Error(`trainMoCo: batchSize must be an integer >= 2, got ${batchSize}`);
  if (!(faceFraction > 0 && faceFraction <= 1))
    throw new Error(`trainMoCo: faceFraction must be in (0, 1], got ${faceFraction}`);
  const totalSteps = options.steps ?? Math.floor(((options.epochs ?? 0) * train.length) / batchSize);
  if (!Number.isInteger(totalSteps) || totalSteps < 1) {
    throw new Error(
      `trainMoCo: give steps or epochs for at least one step (steps ${options.steps}, epochs ${options.epochs}, ${train.length} images)`,
    );
  }
  const stopAt = Math.min(options.stopAtStep ?? totalSteps, totalSteps);
  const loadSize = Math.round(imageSize / faceFraction);
  const region = faceBox(faceFraction);
  const mocoOptions = { ...options.moco };
  const spec = typeof options.backbone === 'function' ? null : { seed, ...options.backbone };
  if (spec && mocoOptions.shuffleBN === 'group') spec.normalization = 'group';
  if (spec && spec.inputSize !== imageSize)
    throw new Error(`trainMoCo: backbone inputSize ${spec.inputSize} differs from imageSize ${imageSize}`);
  const config = {
    backbone: spec ?? 'custom',
    imageSize,
    batchSize,
    totalSteps,
    faceFraction,
    seed,
    lr: options.lr ?? 0.015,
    moco: mocoOptions,
    trainImages: train.length,
  };

  const factory = spec ? () => createBackbone(spec) : (options.backbone as () => tfl.LayersModel);
  const moco = createMoCo({ ...mocoOptions, backbone: factory, seed });
  const sgd = createSgd(moco.trainableVariables(), {
    momentum: options.sgdMomentum,
    weightDecay: options.weightDecay,
  });
  let startStep = 0;
  let history: PretrainProgress[] = [];
  try {
    moco.queue.checkBatchSize(batchSize);
    if (options.resume && options.checkpointDir) {
      const restored = await tryResume(options.checkpointDir, config, moco, sgd.buffers);
      if (restored) ({ step: startStep, history } = restored);
    }

    const validation = setUpValidation(options.images.val, options.valTrials ?? 200, seed, valEvery);
    const prepareVal = async (path: string) => {
      const image = await loadImage(path, loadSize);
      const face = tf.tidy(() =>
        tf.squeeze(
          tf.image.cropAndResize(
            tf.expandDims(tf.div(image, 255), 0) as tf.Tensor4D,
            [region],
            [0],
            [imageSize, imageSize],
          ),
          [0],
        ),
      ) as tf.Tensor3D;
      image.dispose();
      return face;
    };
    const validate = async () => {
      if (!validation) return null;
      const embeddings = await embedPaths(validation.paths, (x) => moco.embed(x), prepareVal);
      return precisionAtOneOfN(validation.trials, embeddings, similarity);
    };
    const baselinePrecision = startStep === 0 ? await validate() : null;
    if (baselinePrecision !== null) {
      history.push({
        step: 0,
        totalSteps,
        loss: Number.NaN,
        lr: 0,
        imagesPerSecond: 0,
        valPrecision: baselinePrecision,
      });
      options.onProgress?.(history[history.length - 1]);
    }

    const baseLr = scaledLearningRate(batchSize, options.lr ?? 0.015);
    const plan = createBatchPlanner(train, {
      batchSize,
      seed,
      maskedViewProbability: options.maskedViewProbability,
    });
    const augment: AugmentOptions = {
      ...options.augment,
      size: imageSize,
      crop: options.augment?.crop === false ? false : { region, ...options.augment?.crop },
    };
    const losses: number[] = [];
    let valPrecision: number | null =
      [...history].reverse().find((h) => h.valPrecision !== undefined)?.valPrecision ?? null;
    let trainSeconds = 0;
    let windowSeconds = 0;
    let windowSteps = 0;
    let step = startStep;
    const saveCheckpoint = async () => {
      if (!options.checkpointDir) return;
      const tensors: [string, tf.Tensor][] = [
        ...moco.namedTensors(),
        ...sgd.buffers.map((b, i) => [`sgd/${i}`, b] as [string, tf.Tensor]),
      ];
      await writeCheckpoint(
        options.checkpointDir,
        { step, queuePointer: moco.queue.pointer, rngState: moco.rng.getState(), config, history },
        tensors,
        moco.queryBackbone,
      );
    };

    const batches = prefetchBatches(plan, startStep, stopAt, prefetch, (p) =>
      loadBatch(p, train, loadImage, loadSize),
    );
    for await (const batch of batches) {
      const started = performance.now();
      const lr = cosineLearningRate(baseLr, step, totalSteps);
      const rng = batch.plan.augmentRng;
      const query = augmentBatch(batch.query, rng, augment);
      const key = augmentBatch(batch.key, rng, augment);
      disposeBatch(batch);
      const loss = moco.step(query, key, sgd, lr);
      tf.dispose([query, key]);
      if (!Number.isFinite(loss))
        throw new Error(`trainMoCo: loss became ${loss} at step ${step + 1}; lower the learning rate`);
      const seconds = (performance.now() - started) / 1000;
      trainSeconds += seconds;
      windowSeconds += seconds;
      windowSteps++;
      losses.push(loss);
      step++;
      const isLast = step === stopAt;
      const validateNow = validation !== null && (step % valEvery === 0 || isLast);
      if (step % logEvery === 0 || validateNow || isLast) {
        const record: PretrainProgress = {
          step,
          totalSteps,
          loss,
          lr,
          imagesPerSecond: (windowSteps * batchSize) / windowSeconds,
        };
        windowSeconds = 0;
        windowSteps = 0;
        if (validateNow) {
          valPrecision = await validate();
          record.valPrecision = valPrecision ?? undefined;
        }
        history.push(record);
        options.onProgress?.(record);
      }
      if (step % checkpointEvery === 0 || isLast) await saveCheckpoint();
    }
    return {
      steps: step,
      totalSteps,
      stepsThisRun: losses.length,
      finalLoss: losses.length ? losses[losses.length - 1] : lastLoss(history),
      imagesPerSecond: losses.length ? (losses.length * batchSize) / trainSeconds : null,
      valPrecision,
      baselinePrecision,
      valMasked: validation?.masked ?? null,
      losses,
      history,
    };
  } finally {
    sgd.dispose();
    moco.dispose();
  }
}

// the loss of the latest logged step (step 0's record holds the untrained precision, not a loss)
function lastLoss(history: readonly PretrainProgress[]): number {
  return [...history].reverse().find((h) => Number.isFinite(h.loss))?.loss ?? Number.NaN;
}

function setUpValidation(
  val: readonly PretrainImage[] | undefined,
  trials: number,
  seed: number,
  valEvery: number,
) {
  if (!val || val.length === 0 || valEvery <= 0) return null;
  const built = buildValidationTrials(val, { trials, seed });
  return { ...built, paths: trialPaths(built.trials) };
}

async function tryResume(
  dir: string,
  config: Record<string, unknown>,
  moco: MoCo,
  sgdBuffers: tf.Variable[],
) {
  let checkpoint: Awaited<ReturnType<typeof readCheckpoint>>;
  try {
    checkpoint = await readCheckpoint(dir);
  } catch (error) {
    if ((error as Error).message.includes('checkpoint.json missing')) return null; // nothing to resume yet
    throw error;
  }
  const { meta, tensors } = checkpoint;
  try {
    const changed = Object.keys(config).filter(
      (key) => JSON.stringify(meta.config[key]) !== JSON.stringify(config[key]),
    );
    if (changed.length) {
      throw new Error(
        `Cannot resume from "${dir}": ${changed.map((k) => `${k} was ${JSON.stringify(meta.config[k])}, now ${JSON.stringify(config[k])}`).join('; ')}. ` +
          (changed.includes('totalSteps')
            ? 'The cosine learning-rate schedule is laid out for the total steps, so a run cannot be extended; resume with the same --steps, or start a new run in another --out folder. '
            : '') +
          'Use the same options or another --out folder.',
      );
    }
    moco.restore(tensors, meta.queuePointer, meta.rngState);
    sgdBuffers.forEach((buffer, i) => {
      const saved = tensors.get(`sgd/${i}`);
      if (!saved) throw new Error(`Cannot resume from "${dir}": momentum buffer sgd/${i} missing`);
      buffer.assign(saved);
    });
  } finally {
    tf.dispose([...tensors.values()]);
  }
  return { step: meta.step, history: meta.history as PretrainProgress[] };
}
