/** Browser side of `@mfr/siamese`: the shipped model has no default location; the page passes its URL. */
import type { SiamesePlatform } from './types.js';

export const platform: SiamesePlatform = {
  defaultModel(name) {
    throw new Error(
      `In a browser there is no default location for the shipped model: serve node_modules/@mfr/siamese/models/${name} ` +
        'with the page and pass its URL as `model`.',
    );
  },
};
