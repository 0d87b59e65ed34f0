/** MoCo v2's projection head: fc(embedding -> embedding) - ReLU - fc(embedding -> dim), or one fc without MLP. */
import * as tf from '@tensorflow/tfjs-layers';

/**
 * Builds the head as a small model on the backbone's embedding.
 *
 * @example
 * const head = createProjectionHead(512, 128, true, 'query_head');
 */
export function createProjectionHead(
  embeddingSize: number,
  dim: number,
  mlp: boolean,
  name: string,
  seed?: number,
): tf.LayersModel {
  const input = tf.input({ shape: [embeddingSize], name: `${name}_in` });
  const init = (offset: number) =>
    tf.initializers.glorotUniform({ seed: seed === undefined ? undefined : seed + offset });
  let x: tf.SymbolicTensor = input;
  if (mlp) {
    x = tf.layers
      .dense({ units: embeddingSize, activation: 'relu', kernelInitializer: init(0), name: `${name}_fc1` })
      .apply(x) as tf.SymbolicTensor;
  }
  const out = tf.layers
    .dense({ units: dim, kernelInitializer: init(1), name: `${name}_fc2` })
    .apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out, name });
}
