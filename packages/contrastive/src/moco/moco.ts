/**
 * MoCo v2 (He et al. 2020; Chen et al. 2020) for TensorFlow.js on one device.
 *
 * A query encoder (backbone + projection head) is trained by SGD; a key encoder of the same shape follows
 * it by momentum (k = m k + (1 - m) q, before each key forward pass). The loss is InfoNCE over one positive
 * key (the other view of the same image) and K negatives kept in a queue of past keys.
 */
import { createRng, l2Normalize, type Rng, type RngState } from '@mfr/core';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { infoNceLoss } from './loss.js';
import { copyWeights, momentumUpdate } from './momentum.js';
import { createProjectionHead } from './projection_head.js';
import { KeyQueue } from './queue.js';
import { forwardShuffledSplit, type ShuffleBnMode } from './shuffle_bn.js';

/** Options for {@link createMoCo}. Defaults are MoCo v2's, except where noted. */
export interface MoCoOptions {
  /**
   * The backbone: a model `[N,H,W,3]` in [0,1] -> `[N,E]` embedding, or a factory that builds one. The key
   * encoder is a second instance (a factory is called twice; a model is cloned from its config) whose
   * weights start equal to the query's.
   */
  backbone: tfl.LayersModel | (() => tfl.LayersModel);
  /** Output dimension of the projection head. Default 128. */
  dim?: number;
  /** Number of negative keys K. Default 65536. */
  queueSize?: number;
  /** Key-encoder momentum m. Default 0.999. */
  momentum?: number;
  /** Softmax temperature T. Default 0.2 (MoCo v2). */
  temperature?: number;
  /** Two-layer MLP head (hidden size = the backbone's embedding size) instead of one linear layer. Default true. */
  mlp?: boolean;
  /** Batch-norm leakage guard on one device (see shuffle_bn.ts). Default 'split'. */
  shuffleBN?: ShuffleBnMode;
  /** Number of key sub-batches in 'split' mode. Default 4. */
  bnSplits?: number;
  /** Seed for the queue's initial keys, the heads' initial weights and the key shuffles. Default 0. */
  seed?: number;
}

/** Minimal optimizer interface the step needs (see `createSgd`). */
export interface GradientApplier {
  apply(variables: tf.Variable[], gradients: tf.Tensor[], learningRate: number): void;
}

const hasBatchNorm = (model: tfl.LayersModel): boolean =>
  model.layers.some(
    (layer) =>
      layer.getClassName() === 'BatchNormalization' ||
      (layer instanceof tfl.LayersModel && hasBatchNorm(layer)),
  );

function cloneModel(model: tfl.LayersModel): tfl.LayersModel {
  // layer configs rebuild the same graph; tfjs gives the new weights unique variable names
  return tfl.LayersModel.fromConfig(
    tfl.LayersModel,
    model.getConfig() as unknown as tf.serialization.ConfigDict,
  ) as tfl.LayersModel;
}

/** A MoCo v2 model: encoders, queue and one training step. Create it with {@link createMoCo}. */
export class MoCo {
  readonly dim: number;
  readonly queueSize: number;
  readonly momentum: number;
  readonly temperature: number;
  readonly mlp: boolean;
  readonly shuffleBN: ShuffleBnMode;
  readonly bnSplits: number;
  readonly queryBackbone: tfl.LayersModel;
  readonly keyBackbone: tfl.LayersModel;
  readonly queryHead: tfl.LayersModel;
  readonly keyHead: tfl.LayersModel;
  readonly queue: KeyQueue;
  /** Drives the key shuffles; saved in checkpoints. */
  readonly rng: Rng;

  constructor(options: MoCoOptions) {
    const { dim = 128, queueSize = 65536, momentum = 0.999, temperature = 0.2, mlp = true } = options;
    const { shuffleBN = 'split', bnSplits = 4, seed = 0 } = options;
    if (!(momentum >= 0 && momentum <= 1))
      throw new Error(`createMoCo: momentum must be in [0, 1], got ${momentum}`);
    if (!(temperature > 0)) throw new Error(`createMoCo: temperature must be > 0, got ${temperature}`);
    if (!Number.isInteger(bnSplits) || bnSplits < 1)
      throw new Error(`createMoCo: bnSplits must be a positive integer, got ${bnSplits}`);
    this.dim = dim;
    this.queueSize = queueSize;
    this.momentum = momentum;
    this.temperature = temperature;
    this.mlp = mlp;
    this.shuffleBN = shuffleBN;
    this.bnSplits = bnSplits;

    const build = typeof options.backbone === 'function' ? options.backbone : null;
    this.queryBackbone = build ? build() : (options.backbone as tfl.LayersModel);
    this.keyBackbone = build ? build() : cloneModel(this.queryBackbone);
    if (shuffleBN === 'group' && hasBatchNorm(this.queryBackbone)) {
      throw new Error(
        "createMoCo: shuffleBN 'group' needs a backbone without batch norm; build it with createBackbone({ normalization: 'group' }) or use shuffleBN 'split'.",
      );
    }
    const outShape = this.queryBackbone.outputs[0].shape;
    if (outShape.length !== 2 || !outShape[1]) {
      throw new Error(`createMoCo: the backbone must output [N, E] embeddings, got [${outShape.join(',')}]`);
    }
    const embeddingSize = outShape[1];
    this.rng = createRng(seed).fork('moco');
    this.queryHead = createProjectionHead(embeddingSize, dim, mlp, 'moco_query_head', seed);
    this.keyHead = createProjectionHead(embeddingSize, dim, mlp, 'moco_key_head', seed);
    copyWeights(this.queryBackbone, this.keyBackbone);
    copyWeights(this.queryHead, this.keyHead);
    this.queue = new KeyQueue(dim, queueSize, createRng(seed).fork('queue'));
  }

  /** The variables SGD trains: the query backbone's and head's trainable weights. */
  trainableVariables(): tf.Variable[] {
    return [...this.queryBackbone.trainableWeights, ...this.queryHead.trainableWeights].map(
      (w) => w.read() as tf.Variable,
    );
  }

  /** L2-normalised query projections `[N, dim]` (with gradient when called inside a tape). */
  encodeQuery(images: tf.Tensor4D, training = true): tf.Tensor2D {
    return tf.tidy(() => {
      const embedding = this.queryBackbone.apply(images, { training }) as tf.Tensor2D;
      return l2Normalize(this.queryHead.apply(embedding, { training }) as tf.Tensor2D);
    });
  }

  /** L2-normalised keys `[N, dim]` from the key encoder, with the batch-norm guard of `shuffleBN`. */
  encodeKeys(images: tf.Tensor4D): tf.Tensor2D {
    const encode = (x: tf.Tensor4D) =>
      tf.tidy(() => {
        const embedding = this.keyBackbone.apply(x, { training: true }) as tf.Tensor2D;
        return l2Normalize(this.keyHead.apply(embedding, { training: true }) as tf.Tensor2D);
      });
    if (this.shuffleBN !== 'split' || this.bnSplits === 1) return encode(images);
    return forwardShuffledSplit(images, encode, this.bnSplits, this.rng);
  }

  /** The backbone embedding of the query encoder in inference mode (what is exported and validated). */
  embed(images: tf.Tensor4D): tf.Tensor2D {
    return this.queryBackbone.predict(images) as tf.Tensor2D;
  }

  /**
   * One MoCo step on two views of the same images: momentum update, keys, InfoNCE loss and gradients,
   * optimizer update, enqueue. Returns the loss.
   */
  step(
    queryImages: tf.Tensor4D,
    keyImages: tf.Tensor4D,
    optimizer: GradientApplier,
    learningRate: number,
  ): number {
    const batch = queryImages.shape[0];
    if (keyImages.shape[0] !== batch) {
      throw new Error(`MoCo.step: query batch ${batch} and key batch ${keyImages.shape[0]} differ`);
    }
    this.queue.checkBatchSize(batch);
    if (this.shuffleBN === 'split' && batch < 2 * this.bnSplits) {
      throw new Error(
        `MoCo.step: batch ${batch} is too small for ${this.bnSplits} batch-norm splits (need >= 2 images each)`,
      );
    }
    momentumUpdate(this.queryBackbone, this.keyBackbone, this.momentum);
    momentumUpdate(this.queryHead, this.keyHead, this.momentum);
    const keys = this.encodeKeys(keyImages);
    const variables = this.trainableVariables();
    const { value, grads } = tf.variableGrads(
      () => infoNceLoss(this.encodeQuery(queryImages), keys, this.queue.keys, this.temperature),
      variables,
    );
    optimizer.apply(
      variables,
      variables.map((v) => grads[v.name]),
      learningRate,
    );
    const loss = value.dataSync()[0];
    tf.dispose([value, grads]);
    this.queue.enqueue(keys);
    keys.dispose();
    return loss;
  }

  /**
   * Every tensor of the model's state by name, in a stable order (for checkpoints). Weights are named by
   * position (`query/backbone/3`): auto-generated layer names differ between instances. Do not dispose them.
   */
  namedTensors(): [string, tf.Tensor][] {
    const named = (prefix: string, model: tfl.LayersModel) =>
      model.weights.map((w, i) => [`${prefix}/${i}`, w.read()] as [string, tf.Tensor]);
    return [
      ...named('query/backbone', this.queryBackbone),
      ...named('query/head', this.queryHead),
      ...named('key/backbone', this.keyBackbone),
      ...named('key/head', this.keyHead),
      ['queue', this.queue.keys],
    ];
  }

  /** Restores tensors saved from {@link namedTensors}, plus pointer and RNG state. */
  restore(tensors: Map<string, tf.Tensor>, queuePointer: number, rngState: RngState): void {
    const load = (prefix: string, model: tfl.LayersModel) => {
      const values = model.weights.map((w, i) => {
        const name = `${prefix}/${i}`;
        const value = tensors.get(name);
        if (!value || value.shape.join(',') !== w.shape.join(',')) {
          throw new Error(
            `MoCo.restore: checkpoint tensor "${name}" is [${value?.shape ?? 'missing'}], the model's ${w.originalName} is [${w.shape}]; was it made with another backbone?`,
          );
        }
        return value;
      });
      model.setWeights(values);
    };
    load('query/backbone', this.queryBackbone);
    load('query/head', this.queryHead);
    load('key/backbone', this.keyBackbone);
    load('key/head', this.keyHead);
    const queue = tensors.get('queue');
    if (!queue || queue.shape[1] !== this.queueSize || queue.shape[0] !== this.dim) {
      throw new Error(
        `MoCo.restore: checkpoint queue shape [${queue?.shape}] does not match [${this.dim}, ${this.queueSize}]`,
      );
    }
    this.queue.keys.assign(queue as tf.Tensor2D);
    this.queue.pointer = queuePointer;
    this.rng.setState(rngState);
  }

  dispose(): void {
    this.queryBackbone.dispose();
    this.keyBackbone.dispose();
    this.queryHead.dispose();
    this.keyHead.dispose();
    this.queue.dispose();
  }
}

/**
 * Builds a MoCo v2 model.
 *
 * @example
 * const moco = createMoCo({ backbone: () => createBackbone({ arch: 'resnet18', inputSize: 64 }), queueSize: 4096 });
 * const sgd = createSgd(moco.trainableVariables());
 * const loss = moco.step(viewA, viewB, sgd, 0.0075);
 */
export function createMoCo(options: MoCoOptions): MoCo {
  return new MoCo(options);
}
