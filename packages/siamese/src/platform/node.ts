/** Node side of `@mfr/siamese`: the shipped model inside this package, images read from disk. */
import { fileURLToPath } from 'node:url';
import { decodeImage } from '@mfr/core';
import { readImagePixels } from '@mfr/core/node';
import type { SiamesePlatform } from './types.js';

export const platform: SiamesePlatform = {
  // two levels below the package root both as src/platform/node.ts and as dist/platform/node.js
  // (shippedModelDir in shipped-model-dir.ts is the same folder, seen from one level down)
  defaultModel: (name) => fileURLToPath(new URL(`../../models/${name}`, import.meta.url)),
  async readImage(location) {
    if (!/^(https?|blob|data):/i.test(location)) return readImagePixels(location);
    const response = await fetch(location);
    if (!response.ok) throw new Error(`Cannot read image "${location}": HTTP ${response.status}`);
    return decodeImage(new Uint8Array(await response.arrayBuffer()), location);
  },
};
