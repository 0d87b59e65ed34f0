/**
 * `BatchNormAct`: batch normalization, optionally followed by a residual add and a ReLU, in one layer:
 * `relu(batchNorm(x) + shortcut)`. Same numbers as tfjs-layers' `BatchNormalization` (+ `Add` + `ReLU` layers):
 * batch statistics in training, moving statistics in inference, moving averages updated in training with the
 * same formula, and the same weight names (`gamma`, `beta`, `moving_mean`, `moving_variance`), so weights move
 * between the two forms unchanged.
 *
 * Why a layer of its own: on tfjs-node its training pass runs TensorFlow's fused batch-norm kernels forward and
 * backward (see kernels/fused_batch_norm.ts), a few native ops where the separate layers run dozens of small ones;
 * on other backends it runs the same ops as those layers. Registered for (de)serialisation.
 *
 * @example
 * const y = new BatchNormAct({ name: 'block_out', relu: true }).apply([x, shortcut]); // relu(bn(x) + shortcut)
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { batchNormTraining } from '../kernels/fused_batch_norm.js';

type LayerArgs = NonNullable<ConstructorParameters<typeof tfl.layers.Layer>[0]>;

export interface BatchNormActArgs extends LayerArgs {
  /** Moving-average momentum of the statistics. Default 0.9 (the backbones' batch norm). */
  momentum?: number;
  /** Added to the variance. Default 1e-5 (as in PyTorch). */
  epsilon?: number;
  /** ReLU after the normalisation (and the residual add). Default false. */
  relu?: boolean;
}

export class BatchNormAct extends tfl.layers.Layer {
  static className = 'BatchNormAct';
  readonly momentum: number;
  readonly epsilon: number;
  readonly relu: boolean;
  private gamma: tfl.LayerVariable | null = null;
  private beta: tfl.LayerVariable | null = null;
  private movingMean: tfl.LayerVariable | null = null;
  private movingVariance: tfl.LayerVariable | null = null;

  constructor(args: BatchNormActArgs = {}) {
    super(args);
    this.momentum = args.momentum ?? 0.9;
    this.epsilon = args.epsilon ?? 1e-5;
    this.relu = args.relu ?? false;
    this.supportsMasking = true;
  }

  override build(inputShape: tfl.Shape | tfl.Shape[]): void {
    const shapes = (Array.isArray(inputShape[0]) ? inputShape : [inputShape]) as tfl.Shape[];
    const shape = shapes[0];
    const channels = shape[shape.length - 1];
    if (shape.length !== 4 || channels == null) {
      throw new Error(
        `BatchNormAct "${this.name}": expects NHWC input with a known channel count, got shape [${shape}]. ` +
          'Put it after a 2-D convolution.',
      );
    }
    if (shapes.length > 2 || (shapes.length === 2 && shapes[1][3] !== channels)) {
      throw new Error(
        `BatchNormAct "${this.name}": takes x or [x, shortcut] of one shape, got ${JSON.stringify(shapes)}. ` +
          'Project the shortcut to the same channels first.',
      );
    }
    const zeros = tfl.initializers.zeros();
    const ones = tfl.initializers.ones();
    this.gamma = this.addWeight('gamma', [channels], 'float32', ones, undefined, true);
    this.beta = this.addWeight('beta', [channels], 'float32', zeros, undefined, true);
    this.movingMean = this.addWeight('moving_mean', [channels], 'float32', zeros, undefined, false);
    this.movingVariance = this.addWeight('moving_variance', [channels], 'float32', ones, undefined, false);
    this.built = true;
  }

  // biome-ignore lint/suspicious/noExplicitAny: tfjs-layers types call kwargs as an untyped dictionary
  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, any>): tf.Tensor {
    const list = Array.isArray(inputs) ? inputs : [inputs];
    const x = list[0] as tf.Tensor4D;
    const residual = list[1] as tf.Tensor4D | undefined;
    const training = kwargs.training === true;
    const gamma = (this.gamma as tfl.LayerVariable).read() as tf.Tensor1D;
    const beta = (this.beta as tfl.LayerVariable).read() as tf.Tensor1D;
    const movingMean = this.movingMean as tfl.LayerVariable;
    const movingVariance = this.movingVariance as tfl.LayerVariable;
    if (!training) {
      return tf.tidy(() => {
        const mean = movingMean.read() as tf.Tensor1D;
        const variance = movingVariance.read() as tf.Tensor1D;
        let y: tf.Tensor4D = tf.batchNorm4d(x, mean, variance, beta, gamma, this.epsilon);
        if (residual) y = tf.add(y, residual);
        return this.relu ? tf.relu(y) : y;
      });
    }
    const { y, mean, variance } = batchNormTraining(x, gamma, beta, {
      epsilon: this.epsilon,
      relu: this.relu,
      residual,
    });
    // moving averages, with tfjs-layers' formula: v <- v - (v - batch value) * (1 - momentum)
    tf.tidy(() => {
      const decay = 1 - this.momentum;
      for (const [variable, value] of [
        [movingMean, mean],
        [movingVariance, variance],
      ] as const) {
        const orig = variable.read();
        variable.write(tf.sub(orig, tf.mul(tf.sub(orig, value), decay)));
      }
    });
    tf.dispose([mean, variance]);
    return y;
  }

  override computeOutputShape(inputShape: tfl.Shape | tfl.Shape[]): tfl.Shape {
    return (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tfl.Shape;
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), momentum: this.momentum, epsilon: this.epsilon, relu: this.relu };
  }
}

tf.serialization.registerClass(BatchNormAct);
