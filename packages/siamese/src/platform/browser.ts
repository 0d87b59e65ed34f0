/** Browser side of `@mfr/siamese`: models and images by URL. */
import { decodeImage } from '@mfr/core';
import type { SiamesePlatform } from './types.js';

export const platform: SiamesePlatform = {
  defaultModel(name) {
    throw new Error(
      `In a browser there is no default location for the shipped model: serve node_modules/@mfr/siamese/models/${name} ` +
        'with the page and pass its URL as `model`.',
    );
  },
  async readImage(location) {
    let response: Response;
    try {
      response = await fetch(location);
    } catch (error) {
      throw new Error(`Cannot read image "${location}": ${(error as Error).message}`);
    }
    if (!response.ok) throw new Error(`Cannot read image "${location}": HTTP ${response.status}`);
    return decodeImage(new Uint8Array(await response.arrayBuffer()), location);
  },
};
