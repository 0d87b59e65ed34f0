/**
 * Group normalization (Wu & He, 2018) as a serialisable tfjs-layers layer.
 *
 * Normalises each sample over groups of channels (and all spatial positions), so unlike batch norm it does not
 * mix samples of a batch: the contrastive trainer uses it as the single-device stand-in for MoCo's shuffle-BN.
 * Channels-last inputs of any rank >= 2; `gamma` starts at 1 and `beta` at 0. Registered with
 * `tf.serialization.registerClass`, so saved models that contain it load again.
 *
 * @example
 * const gn = new GroupNormalization({ groups: 8, name: 'gn1' });
 * const y = gn.apply(tf.ones([2, 4, 4, 16])) as tf.Tensor; // same shape, per-group zero mean
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

type LayerArgs = NonNullable<ConstructorParameters<typeof tfl.layers.Layer>[0]>;

export interface GroupNormalizationArgs extends LayerArgs {
  /** Number of channel groups; must divide the channel count. Default 32. */
  groups?: number;
  /** Added to the variance for stability. Default 1e-5 (as in the paper and PyTorch). */
  epsilon?: number;
}

/**
 * Groups for a layer of `channels` channels: the largest divisor of `channels` that is at most `maxGroups`
 * (32, as in the paper) and leaves at least `minChannelsPerGroup` (4) channels per group. The minimum matters on
 * small inputs: a 1x1 feature map normalised over single-channel groups would be all zeros.
 *
 * @example
 * groupsFor(256); // 32
 * groupsFor(32);  // 8
 */
export function groupsFor(channels: number, maxGroups = 32, minChannelsPerGroup = 4): number {
  const limit = Math.min(maxGroups, Math.floor(channels / minChannelsPerGroup));
  for (let g = limit; g > 1; g--) if (channels % g === 0) return g;
  return 1;
}

export class GroupNormalization extends tfl.layers.Layer {
  static className = 'GroupNormalization';
  readonly groups: number;
  readonly epsilon: number;
  private gamma: tfl.LayerVariable | null = null;
  private beta: tfl.LayerVariable | null = null;

  constructor(args: GroupNormalizationArgs = {}) {
    super(args);
    this.groups = args.groups ?? 32;
    this.epsilon = args.epsilon ?? 1e-5;
    if (!Number.isInteger(this.groups) || this.groups < 1) {
      throw new Error(`GroupNormalization: groups must be a positive integer, got ${this.groups}.`);
    }
    this.supportsMasking = true;
  }

  override build(inputShape: tfl.Shape | tfl.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tfl.Shape;
    const channels = shape[shape.length - 1];
    if (channels == null || channels % this.groups !== 0) {
      throw new Error(
        `GroupNormalization "${this.name}": ${channels} channels cannot be split into ${this.groups} groups; ` +
          'pass a groups value that divides the channel count (see groupsFor).',
      );
    }
    this.gamma = this.addWeight('gamma', [channels], 'float32', tfl.initializers.ones());
    this.beta = this.addWeight('beta', [channels], 'float32', tfl.initializers.zeros());
    this.built = true;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = Array.isArray(inputs) ? inputs[0] : inputs;
      const channels = x.shape[x.rank - 1];
      const grouped = tf.reshape(x, [...x.shape.slice(0, -1), this.groups, channels / this.groups]);
      // reduce over everything except the batch and group axes
      const axes = [...Array.from({ length: x.rank - 2 }, (_, i) => i + 1), x.rank];
      const { mean, variance } = tf.moments(grouped, axes, true);
      const normalized = tf.mul(tf.sub(grouped, mean), tf.rsqrt(tf.add(variance, this.epsilon)));
      const back = tf.reshape(normalized, x.shape);
      return tf.add(
        tf.mul(back, (this.gamma as tfl.LayerVariable).read()),
        (this.beta as tfl.LayerVariable).read(),
      );
    });
  }

  override computeOutputShape(inputShape: tfl.Shape | tfl.Shape[]): tfl.Shape | tfl.Shape[] {
    return inputShape;
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), groups: this.groups, epsilon: this.epsilon };
  }
}

tf.serialization.registerClass(GroupNormalization);
