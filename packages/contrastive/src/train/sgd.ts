/**
 * SGD with momentum and coupled weight decay, as PyTorch's `torch.optim.SGD` used by MoCo:
 * g' = g + wd * w; v = mu * v + g'; w = w - lr * v. Its momentum buffers are plain variables, so a checkpoint
 * can save and restore them exactly; the learning rate is passed per step (cosine schedule).
 */
import * as tf from '@tensorflow/tfjs-core';

/** Options for {@link createSgd}. Defaults are MoCo's. */
export interface SgdOptions {
  /** Momentum mu. Default 0.9. */
  momentum?: number;
  /** Weight decay added to the gradient. Default 1e-4. */
  weightDecay?: number;
}

/** SGD state and update; see {@link createSgd}. */
export interface Sgd {
  readonly momentum: number;
  readonly weightDecay: number;
  /** One momentum buffer per variable, in the order given to {@link createSgd}. */
  readonly buffers: tf.Variable[];
  apply(variables: tf.Variable[], gradients: tf.Tensor[], learningRate: number): void;
  dispose(): void;
}

/**
 * Creates momentum buffers (zeros) for `variables`.
 *
 * @example
 * const sgd = createSgd(moco.trainableVariables());
 * sgd.apply(variables, gradients, 0.015);
 */
export function createSgd(variables: tf.Variable[], options: SgdOptions = {}): Sgd {
  const { momentum = 0.9, weightDecay = 1e-4 } = options;
  // tidy disposes the zeros; the variable keeps its own reference to the data
  const buffers = variables.map((v) => tf.tidy(() => tf.variable(tf.zerosLike(v), false)));
  return {
    momentum,
    weightDecay,
    buffers,
    apply(vars, gradients, learningRate) {
      if (vars.length !== buffers.length || gradients.length !== buffers.length) {
        throw new Error(
          `Sgd.apply: got ${vars.length} variables / ${gradients.length} gradients, expected ${buffers.length}`,
        );
      }
      for (let i = 0; i < vars.length; i++) {
        if (!gradients[i]) throw new Error(`Sgd.apply: no gradient for variable "${vars[i].name}"`);
        tf.tidy(() => {
          const g = weightDecay ? tf.add(gradients[i], tf.mul(vars[i], weightDecay)) : gradients[i];
          const v = tf.add(tf.mul(buffers[i], momentum), g);
          buffers[i].assign(v);
          vars[i].assign(tf.sub(vars[i], tf.mul(v, learningRate)));
        });
      }
    },
    dispose() {
      tf.dispose(buffers);
    },
  };
}
