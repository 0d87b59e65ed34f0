/**
 * The Siamese matcher: one backbone with shared weights embeds reference and probe; a head turns the
 * symmetric distance features of the two embeddings into a same-person logit (the paper's head:
 * features -> dense 512, sigmoid -> dense 1, linear; trained with binary cross-entropy on logits).
 * Optionally a linear adapter, shared by both sides, maps each embedding to a learned space before the head.
 *
 * The backbone is either a trainable `tf.LayersModel` (optionally partly frozen) or a frozen
 * {@link Embedder} (a GraphModel such as `faceres`), in which case only the head trains.
 */
import { l2Normalize } from '@mfr/core';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { Embedder, EmbedderSpec } from '../embedders/types.js';
import { distanceFeatures } from './features.js';

/** Options for {@link createSiamese}. */
export interface CreateSiameseOptions {
  /** A backbone `tf.LayersModel` (images in [0, 1] -> embedding) or a frozen {@link Embedder} (images 0-255). */
  backbone: tfl.LayersModel | Embedder;
  /** Units of the head's hidden dense layer. Default 512 (the paper). */
  headUnits?: number;
  /** L2-normalise embeddings before the head and the `embedding` readout. Default true. */
  normalizeEmbeddings?: boolean;
  /** Seed of the head's initial weights. Default 0. */
  seed?: number;
  /** Free-form description of the backbone (arch, freeze fraction, origin) stored in checkpoints. */
  backboneInfo?: Record<string, unknown>;
  /** An existing head to reuse (when loading a checkpoint). Default: a new one. */
  head?: tfl.LayersModel;
  /**
   * Frozen descriptors appended to a frozen embedder's embedding (fusion), each L2-normalised on its own when
   * `normalizeEmbeddings`: `'faceapi'` (face-api's 128-d descriptor, computed from the face's landmarks, see
   * createFaceApiDescriber). Default none.
   */
  fused?: readonly FusedDescriptor[];
  /**
   * Width of a linear adapter (dense without bias, output L2-normalised) that maps each prepared embedding
   * before the distance features; it trains with the head. Default none. On frozen embedders it lets the
   * model learn a space for masked faces instead of only weighting the embedder's differences.
   */
  adapterUnits?: number;
  /** An existing adapter to reuse (when loading a checkpoint). Default: a new one when `adapterUnits` is set. */
  adapter?: tfl.LayersModel;
}

/** Descriptors a model can fuse with its embedder's embedding, and their lengths. */
export const FUSED_DESCRIPTOR_DIMS = Object.freeze({ faceapi: 128 });
export type FusedDescriptor = keyof typeof FUSED_DESCRIPTOR_DIMS;

/** Everything needed to rebuild a model besides its weights; saved as JSON in checkpoints. */
export interface SiameseConfig {
  headUnits: number;
  embeddingDim: number;
  /** Backbone input `[height, width]`; images of other sizes are resized bilinearly. */
  inputSize: [number, number];
  normalizeEmbeddings: boolean;
  /** The head's input: `concat(|e1 - e2|, (e1 - e2)^2)`. */
  features: 'absdiff+sqdiff';
  backbone: { kind: 'layers'; info?: Record<string, unknown> } | { kind: 'embedder'; spec: EmbedderSpec };
  /**
   * Descriptors appended after the backbone's embedding (`embeddingDim` counts them). Absent: none. The model's
   * embedding of a face is then `[embedder's, ...fused]`, and `embedImages` gives only the embedder's part.
   */
  fused?: FusedDescriptor[];
  /** Width of the adapter between the embedding and the head (see `adapterUnits`). Absent: no adapter. */
  adapterUnits?: number;
}

/** A Siamese matcher. Create with {@link createSiamese}; free with `dispose()`. */
export interface SiameseModel {
  readonly kind: 'siamese';
  /** The trainable backbone, or null when the backbone is a frozen embedder. */
  readonly backbone: tfl.LayersModel | null;
  /** The frozen embedder, or null when the backbone is a LayersModel. */
  readonly embedder: Embedder | null;
  /**
   * Head: `[n, 2 * d]` distance features -> dense(headUnits, sigmoid) -> dense(1) logits `[n, 1]`, where d is
   * `adapterUnits` when the model has an adapter, else `embeddingDim`.
   */
  readonly head: tfl.LayersModel;
  /** The adapter (`embeddingDim` -> `adapterUnits`, no bias), or null. */
  readonly adapter: tfl.LayersModel | null;
  readonly config: SiameseConfig;
  /**
   * Embeddings `[n, embeddingDim]` of RGB images `[n, h, w, 3]` with values 0-255 (already aligned or cropped).
   * For a model with `config.fused` descriptors this is only the embedder's part: append the descriptors before
   * `prepareEmbedding`. `training` runs the backbone in training mode (only used by the trainer). The caller
   * disposes the result.
   */
  embedImages(images: tf.Tensor4D, training?: boolean): tf.Tensor2D;
  /**
   * The embedding as the head sees it: L2-normalised when `normalizeEmbeddings` (each fused part on its own),
   * then mapped by the adapter and L2-normalised again when the model has one. Disposes nothing.
   */
  prepareEmbedding(raw: tf.Tensor2D): tf.Tensor2D;
  /** Same-person logits `[n]` for two batches of (prepared) embeddings. */
  logits(e1: tf.Tensor2D, e2: tf.Tensor2D): tf.Tensor1D;
  /** Frees backbone (or embedder), adapter and head. */
  dispose(): void;
}

function isEmbedder(b: tfl.LayersModel | Embedder): b is Embedder {
  return typeof (b as Embedder).embed === 'function' && typeof (b as Embedder).key === 'string';
}

/** Builds the paper's head: dense(units, sigmoid) -> dense(1, linear). */
export function createHead(embeddingDim: number, units = 512, seed = 0): tfl.LayersModel {
  if (!Number.isInteger(units) || units <= 0)
    throw new Error(`createHead: headUnits must be a positive integer, got ${units}`);
  const head = tfl.sequential({ name: 'siamese_head' });
  head.add(
    tfl.layers.dense({
      inputShape: [2 * embeddingDim],
      units,
      activation: 'sigmoid',
      name: 'fc512',
      kernelInitializer: tfl.initializers.glorotUniform({ seed }),
    }),
  );
  head.add(
    tfl.layers.dense({
      units: 1,
      activation: 'linear',
      name: 'logit',
      kernelInitializer: tfl.initializers.glorotUniform({ seed: seed + 1 }),
    }),
  );
  return head;
}

/**
 * Builds the adapter: dense(units) without bias; its output is L2-normalised where it is used.
 *
 * @example
 * const adapter = createAdapter(1152, 512); // fused faceres + face-api -> 512
 */
export function createAdapter(embeddingDim: number, units: number, seed = 0): tfl.LayersModel {
  if (!Number.isInteger(units) || units <= 0)
    throw new Error(`createAdapter: adapterUnits must be a positive integer, got ${units}`);
  const adapter = tfl.sequential({ name: 'siamese_adapter' });
  adapter.add(
    tfl.layers.dense({
      inputShape: [embeddingDim],
      units,
      useBias: false,
      name: 'adapter',
      kernelInitializer: tfl.initializers.glorotUniform({ seed }),
    }),
  );
  return adapter;
}

/**
 * Maps prepared embeddings through an adapter and L2-normalises the result: what `prepareEmbedding` does after the
 * per-part normalisation, for code that trains an adapter on cached vectors and must score as the model will.
 * The caller disposes the result.
 *
 * @example
 * const adapted = adaptEmbedding(adapter, prepared); // [n, adapterUnits], unit rows
 */
export function adaptEmbedding(adapter: tfl.LayersModel, embeddings: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => l2Normalize(adapter.apply(embeddings) as tf.Tensor2D));
}

function layersInputSize(model: tfl.LayersModel): [number, number] {
  const shape = model.inputs[0].shape;
  const h = shape[1];
  const w = shape[2];
  if (shape.length !== 4 || typeof h !== 'number' || typeof w !== 'number' || shape[3] !== 3) {
    throw new Error(
      `createSiamese: backbone input must be [null, height, width, 3] with fixed height and width, got [${shape}]`,
    );
  }
  return [h, w];
}

function layersEmbeddingDim(model: tfl.LayersModel): number {
  const shape = model.outputs[0].shape;
  const d = shape[shape.length - 1];
  if (typeof d !== 'number')
    throw new Error(`createSiamese: backbone output has no fixed last dimension: [${shape}]`);
  return d;
}

/**
 * Creates a Siamese matcher around a backbone. The backbone is shared (the same weights embed both sides).
 * A LayersModel backbone takes images in [0, 1] and outputs `[n, d]` (a feature map `[n, h, w, d]` is
 * average-pooled); it is used as given, so freeze layers (core's `freezeFraction`) before training.
 *
 * @example
 * const backbone = createBackbone({ arch: 'smallcnn', inputSize: 32 });
 * const model = createSiamese({ backbone, headUnits: 512 });
 * const sims = await similarity(model, refs, probes, { readout: 'output' });
 * model.dispose();
 */
export function createSiamese(options: CreateSiameseOptions): SiameseModel {
  const { backbone } = options;
  const headUnits = options.headUnits ?? 512;
  const normalize = options.normalizeEmbeddings ?? true;
  let config: SiameseConfig;
  let embedImages: (images: tf.Tensor4D, training?: boolean) => tf.Tensor2D;
  let layersBackbone: tfl.LayersModel | null = null;
  let embedder: Embedder | null = null;

  const fused = [...(options.fused ?? [])];
  for (const name of fused) {
    if (!(name in FUSED_DESCRIPTOR_DIMS)) {
      throw new Error(
        `createSiamese: unknown fused descriptor "${name}"; known: ${Object.keys(FUSED_DESCRIPTOR_DIMS).join(', ')}`,
      );
    }
  }
  const fusedDims = fused.map((name) => FUSED_DESCRIPTOR_DIMS[name]);
  const fusedDim = fusedDims.reduce((n, d) => n + d, 0);
  if (isEmbedder(backbone)) {
    embedder = backbone;
    config = {
      headUnits,
      embeddingDim: backbone.dim + fusedDim,
      inputSize: [backbone.inputSize, backbone.inputSize],
      normalizeEmbeddings: normalize,
      features: 'absdiff+sqdiff',
      backbone: { kind: 'embedder', spec: backbone.spec },
      ...(fused.length > 0 ? { fused } : {}),
    };
    embedImages = (images) => backbone.embed(images);
  } else {
    if (fused.length > 0) {
      throw new Error(
        'createSiamese: fused descriptors go with a frozen embedder backbone, not a trained one',
      );
    }
    layersBackbone = backbone;
    const [h, w] = layersInputSize(backbone);
    config = {
      headUnits,
      embeddingDim: layersEmbeddingDim(backbone),
      inputSize: [h, w],
      normalizeEmbeddings: normalize,
      features: 'absdiff+sqdiff',
      backbone: { kind: 'layers', ...(options.backboneInfo ? { info: options.backboneInfo } : {}) },
    };
    embedImages = (images, training = false) =>
      tf.tidy(() => {
        if (images.rank !== 4 || images.shape[3] !== 3) {
          throw new Error(`embedImages: images must be [n, height, width, 3], got [${images.shape}]`);
        }
        const sized =
          images.shape[1] === h && images.shape[2] === w
            ? images
            : tf.image.resizeBilinear(images, [h, w], false, true);
        const out = backbone.apply(tf.div(sized, 255), { training }) as tf.Tensor;
        // a feature-map output is pooled to one vector per image
        return (out.rank === 2 ? out : tf.mean(out, [1, 2])) as tf.Tensor2D;
      });
  }

  // checks first, so that nothing is built before an error
  const adapterUnits = options.adapter
    ? (options.adapter.outputs[0].shape[1] as number)
    : options.adapterUnits;
  if (options.adapter && options.adapterUnits !== undefined && options.adapterUnits !== adapterUnits) {
    throw new Error(
      `createSiamese: the adapter given has ${adapterUnits} units but adapterUnits is ${options.adapterUnits}`,
    );
  }
  const adapterIn = options.adapter?.inputs[0].shape[1];
  if (adapterIn !== undefined && adapterIn !== config.embeddingDim) {
    throw new Error(
      `createSiamese: adapter takes ${adapterIn} values, the embedding has ${config.embeddingDim}`,
    );
  }
  const compared = adapterUnits ?? config.embeddingDim;
  const headIn = options.head?.inputs[0].shape[1];
  if (headIn !== undefined && headIn !== 2 * compared) {
    throw new Error(
      `createSiamese: head takes ${headIn} features, expected 2 * ${compared}` +
        (adapterUnits !== undefined ? " (the adapter's width)" : ''),
    );
  }
  const adapter =
    options.adapter ??
    (adapterUnits !== undefined ? createAdapter(config.embeddingDim, adapterUnits, options.seed ?? 0) : null);
  let head: tfl.LayersModel;
  try {
    head = options.head ?? createHead(compared, headUnits, options.seed ?? 0);
  } catch (error) {
    if (!options.adapter) adapter?.dispose();
    throw error;
  }
  if (adapter) config.adapterUnits = adapterUnits;
  // the parts of an embedding: the backbone's, then each fused descriptor's
  const parts = [config.embeddingDim - fusedDim, ...fusedDims];
  const normalizeParts = (raw: tf.Tensor2D): tf.Tensor2D => {
    if (!normalize) return tf.clone(raw);
    if (parts.length === 1) return l2Normalize(raw);
    return tf.concat(
      tf.split(raw, parts, 1).map((p) => l2Normalize(p as tf.Tensor2D)),
      1,
    );
  };
  const prepareEmbedding = (raw: tf.Tensor2D): tf.Tensor2D => {
    if (raw.shape[1] !== config.embeddingDim) {
      throw new Error(
        `prepareEmbedding: embeddings have ${raw.shape[1]} values, the model takes ${config.embeddingDim}` +
          (fused.length > 0 ? ` (its embedder's ${parts[0]} followed by the fused ${fused.join(', ')})` : ''),
      );
    }
    return tf.tidy(() => {
      const e = normalizeParts(raw);
      return adapter ? adaptEmbedding(adapter, e) : e;
    });
  };

  return {
    kind: 'siamese',
    backbone: layersBackbone,
    embedder,
    head,
    adapter,
    config,
    embedImages,
    prepareEmbedding,
    logits: (e1, e2) =>
      tf.tidy(() => tf.reshape(head.apply(distanceFeatures(e1, e2)) as tf.Tensor, [-1]) as tf.Tensor1D),
    dispose() {
      head.dispose();
      adapter?.dispose();
      layersBackbone?.dispose();
      embedder?.dispose();
    },
  };
}
