/** Node side of `@mfr/siamese`: the shipped model inside this package. */
import { shippedModelDir } from '../shipped-model-dir.js';
import type { SiamesePlatform } from './types.js';

export const platform: SiamesePlatform = { defaultModel: shippedModelDir };
