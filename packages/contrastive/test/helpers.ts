import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

/** A tiny conv + batch-norm encoder for fast tests: [N,S,S,3] -> [N,8]. */
export function tinyBackbone(size = 16, seed = 1): tfl.LayersModel {
  const input = tfl.input({ shape: [size, size, 3] });
  let x = tfl.layers
    .conv2d({
      filters: 4,
      kernelSize: 3,
      strides: 2,
      padding: 'same',
      useBias: false,
      kernelInitializer: tfl.initializers.heNormal({ seed }),
    })
    .apply(input) as tfl.SymbolicTensor;
  x = tfl.layers.batchNormalization().apply(x) as tfl.SymbolicTensor;
  x = tfl.layers.activation({ activation: 'relu' }).apply(x) as tfl.SymbolicTensor;
  x = tfl.layers.globalAveragePooling2d({}).apply(x) as tfl.SymbolicTensor;
  const out = tfl.layers
    .dense({ units: 8, kernelInitializer: tfl.initializers.glorotUniform({ seed: seed + 1 }) })
    .apply(x) as tfl.SymbolicTensor;
  return tfl.model({ inputs: input, outputs: out });
}

/** Deterministic pseudo-images [N,S,S,3] in [0,1]. */
export function fakeImages(n: number, size: number, offset = 0): tf.Tensor4D {
  return tf.tidy(() => {
    const values = Float32Array.from(
      { length: n * size * size * 3 },
      (_, i) => (Math.sin((i + offset) * 12.9898) * 43758.5453) % 1,
    );
    return tf.abs(tf.tensor4d(values, [n, size, size, 3]));
  });
}
