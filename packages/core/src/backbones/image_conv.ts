/**
 * The first convolution of a backbone, the one that reads the image: a plain 'same'-padded conv without bias.
 *
 * Why not `tf.layers.conv2d`: that layer runs `tf.fused.conv2d`, whose custom gradient always computes the
 * gradient with respect to its input too. For the first layer that is the gradient w.r.t. the image, which
 * training never uses; on wasm it cost ~4% of a ResNet-18 step. `tf.conv2d` lets the tape skip it.
 * Weights are named like a Conv2D's (`<layer>/kernel`); the layer is registered for (de)serialisation.
 *
 * @example
 * const stem = new ImageConv2D({ name: 'stem_conv', filters: 32, kernelSize: 7, strides: 2, seed: 1 });
 * const y = stem.apply(tf.input({ shape: [64, 64, 3] })); // [null, 32, 32, 32]
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

type LayerArgs = NonNullable<ConstructorParameters<typeof tfl.layers.Layer>[0]>;

export interface ImageConv2DArgs extends LayerArgs {
  /** Output channels. */
  filters: number;
  /** Square kernel side. */
  kernelSize: number;
  /** Stride in both directions. Default 1. */
  strides?: number;
  /** Seed of the He-normal (fan-out) initial kernel. Default 0. */
  seed?: number;
}

export class ImageConv2D extends tfl.layers.Layer {
  static className = 'ImageConv2D';
  readonly filters: number;
  readonly kernelSize: number;
  readonly strides: number;
  readonly seed: number;
  private kernel: tfl.LayerVariable | null = null;

  constructor(args: ImageConv2DArgs) {
    super(args);
    this.filters = args.filters;
    this.kernelSize = args.kernelSize;
    this.strides = args.strides ?? 1;
    this.seed = args.seed ?? 0;
  }

  override build(inputShape: tfl.Shape | tfl.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tfl.Shape;
    const channels = shape[3] as number;
    this.kernel = this.addWeight(
      'kernel',
      [this.kernelSize, this.kernelSize, channels, this.filters],
      'float32',
      tfl.initializers.varianceScaling({ scale: 2, mode: 'fanOut', distribution: 'normal', seed: this.seed }),
    );
    this.built = true;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor4D;
    return tf.conv2d(x, (this.kernel as tfl.LayerVariable).read() as tf.Tensor4D, this.strides, 'same');
  }

  override computeOutputShape(inputShape: tfl.Shape | tfl.Shape[]): tfl.Shape {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tfl.Shape;
    const out = (d: number | null) => (d == null ? null : Math.ceil(d / this.strides));
    return [shape[0], out(shape[1]), out(shape[2]), this.filters];
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {
      ...super.getConfig(),
      filters: this.filters,
      kernelSize: this.kernelSize,
      strides: this.strides,
      seed: this.seed,
    };
  }
}

tf.serialization.registerClass(ImageConv2D);
