/** Node: where the shipped models lie inside this package. */
import { fileURLToPath } from 'node:url';
import { SHIPPED_MODEL } from './shipped-model.js';

/**
 * The folder of a model that ships in `models/` (resolved from this file in the sources and in the builds).
 *
 * @example
 * shippedModelDir(); // '/…/node_modules/@mfr/siamese/models/faceres-masked-head-v1'
 */
export function shippedModelDir(name: string = SHIPPED_MODEL): string {
  // this file sits one level below the package root as src/shipped-model-dir.ts, and bundled into dist/*.js
  return fileURLToPath(new URL(`../models/${name}`, import.meta.url));
}
