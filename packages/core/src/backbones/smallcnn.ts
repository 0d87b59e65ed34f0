/**
 * A tiny CNN for tests and quick experiments: three conv-norm-ReLU layers (16, 32, 64 channels, 3x3), 2x2 max-pool
 * after the first two, global average pooling to a 64-d embedding. About 24k parameters.
 */
import type * as tfl from '@tensorflow/tfjs-layers';
import * as layers from '@tensorflow/tfjs-layers';
import { embeddingHead, imageInput, LayerFactory } from './blocks.js';
import type { BackboneOptions } from './types.js';

type Sym = tfl.SymbolicTensor;

/**
 * Builds the small CNN (see {@link createBackbone} for the options).
 *
 * @example
 * const model = buildSmallCnn({ arch: 'smallcnn', inputSize: 32 }); // output [null, 64]
 */
export function buildSmallCnn(options: BackboneOptions): tfl.LayersModel {
  const f = new LayerFactory(options.seed ?? 0, options.normalization ?? 'batch');
  const input = imageInput(options.inputSize);
  let x: Sym = input;
  [16, 32, 64].forEach((filters, i) => {
    x = f.convNormRelu(x, `conv${i + 1}`, filters, 3);
    if (i < 2)
      x = layers.layers.maxPooling2d({ name: `pool${i + 1}`, poolSize: 2, strides: 2 }).apply(x) as Sym;
  });
  const output = embeddingHead(f, x, options.embeddingDim);
  return layers.model({ inputs: input, outputs: output, name: 'smallcnn' });
}
