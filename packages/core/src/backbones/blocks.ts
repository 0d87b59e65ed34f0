/**
 * Building blocks shared by the backbone architectures: seeded initializers and named conv/norm/activation layers.
 * Every layer gets an explicit, deterministic name, so weights saved from one process load into another.
 */
import type * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { createRng } from '../rng.js';
import { GroupNormalization, groupsFor } from './group_normalization.js';
import { ImageConv2D } from './image_conv.js';
import type { Normalization } from './types.js';

type Sym = tfl.SymbolicTensor;

/** Creates layers with seeded initial weights and consistent names. */
export class LayerFactory {
  constructor(
    private readonly seed: number | string,
    private readonly normalization: Normalization,
  ) {}

  // One seed per layer, derived from the model seed and the layer name: adding a layer elsewhere does not
  // change the others' initial weights.
  private seedFor(name: string): number {
    return createRng(`${this.seed}/${name}`).uint32();
  }

  /** He-normal (fan_out) initialised convolution without bias (a normalization layer follows). */
  conv(x: Sym, name: string, filters: number, kernelSize: number, strides = 1): Sym {
    return tfl.layers
      .conv2d({
        name,
        filters,
        kernelSize,
        strides,
        padding: 'same',
        useBias: false,
        kernelInitializer: tfl.initializers.varianceScaling({
          scale: 2,
          mode: 'fanOut',
          distribution: 'normal',
          seed: this.seedFor(name),
        }),
      })
      .apply(x) as Sym;
  }

  /** The first conv, reading the image (see image_conv.ts: no wasted gradient w.r.t. the image). */
  imageConv(x: Sym, name: string, filters: number, kernelSize: number, strides = 1): Sym {
    return new ImageConv2D({ name, filters, kernelSize, strides, seed: this.seedFor(name) }).apply(x) as Sym;
  }

  /** Depthwise 3x3 convolution without bias. */
  depthwise(x: Sym, name: string, strides: number): Sym {
    return tfl.layers
      .depthwiseConv2d({
        name,
        kernelSize: 3,
        strides,
        padding: 'same',
        useBias: false,
        depthwiseInitializer: tfl.initializers.varianceScaling({
          scale: 2,
          mode: 'fanOut',
          distribution: 'normal',
          seed: this.seedFor(name),
        }),
      })
      .apply(x) as Sym;
  }

  /** Batch norm (momentum 0.9, eps 1e-5 as in PyTorch) or group norm. */
  norm(x: Sym, name: string): Sym {
    const channels = x.shape[x.shape.length - 1] as number;
    if (this.normalization === 'group') {
      return new GroupNormalization({ name, groups: groupsFor(channels) }).apply(x) as Sym;
    }
    return tfl.layers
      .batchNormalization({
        name,
        momentum: 0.9,
        epsilon: 1e-5,
      })
      .apply(x) as Sym;
  }

  relu(x: Sym, name: string, maxValue?: number): Sym {
    return tfl.layers.reLU({ name, maxValue }).apply(x) as Sym;
  }

  add(a: Sym, b: Sym, name: string): Sym {
    return tfl.layers.add({ name }).apply([a, b]) as Sym;
  }

  /** Glorot-uniform dense layer with zero bias. */
  dense(x: Sym, name: string, units: number): Sym {
    return tfl.layers
      .dense({ name, units, kernelInitializer: tfl.initializers.glorotUniform({ seed: this.seedFor(name) }) })
      .apply(x) as Sym;
  }

  /** conv -> norm -> relu, named `${name}_conv`, `${name}_norm`, `${name}_relu` (an image input gets ImageConv2D). */
  convNormRelu(
    x: Sym,
    name: string,
    filters: number,
    kernelSize: number,
    strides = 1,
    maxValue?: number,
  ): Sym {
    const readsImage = x.sourceLayer?.getClassName() === 'InputLayer';
    const c = readsImage
      ? this.imageConv(x, `${name}_conv`, filters, kernelSize, strides)
      : this.conv(x, `${name}_conv`, filters, kernelSize, strides);
    return this.relu(this.norm(c, `${name}_norm`), `${name}_relu`, maxValue);
  }
}

/** Global average pooling, then a dense projection when `embeddingDim` differs from the pooled width. */
export function embeddingHead(f: LayerFactory, x: Sym, embeddingDim?: number): Sym {
  const pooled = tfl.layers.globalAveragePooling2d({ name: 'pool' }).apply(x) as Sym;
  const width = pooled.shape[1] as number;
  if (embeddingDim == null || embeddingDim === width) return pooled;
  if (!Number.isInteger(embeddingDim) || embeddingDim < 1) {
    throw new Error(`createBackbone: embeddingDim must be a positive integer, got ${embeddingDim}.`);
  }
  return f.dense(pooled, 'embedding_projection', embeddingDim);
}

/** The model input: NHWC float32 RGB in [0, 1]. */
export function imageInput(inputSize: number): Sym {
  return tfl.input({ shape: [inputSize, inputSize, 3], name: 'image', dtype: 'float32' as tf.DataType });
}
