/**
 * The benchmarked workload: a backbone with a dense softmax classifier head, trained by SGD (with momentum when
 * given) on one batch.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { createBackbone } from '../src/backbones/index.js';
import type { BackboneOptions } from '../src/backbones/types.js';

export interface Workload {
  backbone: tfl.LayersModel;
  classifier: tfl.LayersModel;
  optimizer: tf.Optimizer;
  /** One training step: forward (training mode), cross-entropy, gradients, SGD update. Returns the loss. */
  trainStep(images: tf.Tensor4D, labels: tf.Tensor2D): number;
  /** Embeddings in inference mode. */
  embed(images: tf.Tensor4D): tf.Tensor2D;
  dispose(): void;
}

/**
 * Builds the backbone plus a `classes`-way softmax head, with a fixed seed.
 *
 * @example
 * const w = createWorkload({ arch: 'iresnet18', inputSize: 64, widths: [32, 64, 128, 256] }, 100, 0.01, 0.9);
 */
export function createWorkload(
  options: BackboneOptions,
  classes: number,
  learningRate: number,
  momentum = 0,
): Workload {
  const backbone = createBackbone(options);
  const embeddingWidth = backbone.outputs[0].shape[1] as number;
  const headInput = tfl.input({ shape: [embeddingWidth], name: 'embedding' });
  const logits = tfl.layers
    .dense({
      units: classes,
      name: 'classifier',
      kernelInitializer: tfl.initializers.glorotUniform({ seed: 1 }),
    })
    .apply(headInput) as tfl.SymbolicTensor;
  const classifier = tfl.model({ inputs: headInput, outputs: logits, name: 'classifier_head' });
  const optimizer = momentum > 0 ? tf.train.momentum(learningRate, momentum) : tf.train.sgd(learningRate);
  const variables = [...backbone.trainableWeights, ...classifier.trainableWeights].map(
    (w) => w.read() as tf.Variable,
  );
  return {
    backbone,
    classifier,
    optimizer,
    trainStep(images, labels) {
      const loss = optimizer.minimize(
        () => {
          const emb = backbone.apply(images, { training: true }) as tf.Tensor;
          const out = classifier.apply(emb, { training: true }) as tf.Tensor;
          return tf.losses.softmaxCrossEntropy(labels, out) as tf.Scalar;
        },
        true,
        variables,
      ) as tf.Scalar;
      const value = loss.dataSync()[0];
      loss.dispose();
      return value;
    },
    embed(images) {
      return backbone.predict(images) as tf.Tensor2D;
    },
    dispose() {
      backbone.dispose();
      classifier.dispose();
      optimizer.dispose();
    },
  };
}
