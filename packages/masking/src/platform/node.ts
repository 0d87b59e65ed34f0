/** Node side of `@mfr/masking`: @napi-rs/canvas, face-api's node-wasm bundle, models from node_modules. */
import { isWebUrl } from '@mfr/core';
import { createCanvas } from '@napi-rs/canvas';
import type { FaceApi } from '../landmarks/face-api-types.js';
import { faceApiModelDir, humanModelsDir, localRequire } from '../landmarks/model-dirs.js';
import type { MaskContext2D } from '../render/canvas.js';
import type { MaskingPlatform } from './types.js';

export const platform: MaskingPlatform = {
  createContext2D(width, height) {
    return createCanvas(width, height).getContext('2d') as unknown as MaskContext2D;
  },
  async loadFaceApi(): Promise<FaceApi> {
    try {
      // the one face-api build that runs in plain Node: it requires @tensorflow/tfjs and tfjs-backend-wasm
      return localRequire('@vladmandic/face-api/dist/face-api.node-wasm.js');
    } catch (error) {
      throw new Error(
        `Cannot load @vladmandic/face-api (node-wasm bundle): ${(error as Error).message.split('\n')[0]}. ` +
          'Install @vladmandic/face-api 1.7.15 with @tensorflow/tfjs and @tensorflow/tfjs-backend-wasm 4.22.0.',
      );
    }
  },
  async loadFaceApiNet(net, location) {
    if (isWebUrl(location)) await net.loadFromUri(location);
    else await net.loadFromDisk(location);
  },
  defaultFaceApiModels: faceApiModelDir,
  defaultHumanModels: humanModelsDir,
  async loadFaceMeshPackages() {
    return {
      landmarks: localRequire('@tensorflow-models/face-landmarks-detection'),
      detection: localRequire('@tensorflow-models/face-detection'),
    };
  },
};
