/** Node: where the shipped models lie inside this package. */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { SHIPPED_MODEL } from './shipped-model.js';

/**
 * The folder of a model that ships in `models/` of this package (found through the package's own name, so it is
 * the same from the sources and from every bundled file).
 *
 * @example
 * shippedModelDir(); // '/…/node_modules/@mfr/siamese/models/faceres-faceapi-masked-heads-v4'
 */
export function shippedModelDir(name: string = SHIPPED_MODEL): string {
  // the CJS build has no import.meta.url and resolves from its own file
  const require = createRequire(typeof __filename === 'string' ? __filename : import.meta.url);
  return join(dirname(require.resolve('@mfr/siamese/package.json')), 'models', name);
}
