/**
 * Loading @vladmandic/face-api in Node: only its `node-wasm` bundle runs here (see DESIGN.md). It shares the
 * workspace's one tfjs-core, so it runs on whichever backend `initBackend` picked.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

// from this file's location in both builds (a bundler's `require` shim cannot load packages dynamically in ESM)
const localRequire: NodeRequire = createRequire(
  typeof __filename === 'string' ? __filename : import.meta.url,
);

/** The parts of face-api's API the benchmark uses (the bundle ships its own types, loaded lazily here). */
export type FaceApi = typeof import('@vladmandic/face-api');

let loaded: Promise<FaceApi> | null = null;

/** Folder of face-api's bundled model weights (`node_modules/@vladmandic/face-api/model`). */
export function faceApiModelDir(): string {
  return join(dirname(localRequire.resolve('@vladmandic/face-api/package.json')), 'model');
}

/**
 * face-api with SSD MobileNet v1, 68-point landmarks and the 128-d recognition net loaded from the package's
 * own `model/` folder (no download). Loaded once per process.
 *
 * @example
 * const faceapi = await loadFaceApi();
 * const faces = await faceapi.detectAllFaces(image).withFaceLandmarks().withFaceDescriptors();
 */
export function loadFaceApi(): Promise<FaceApi> {
  loaded ??= (async () => {
    let faceapi: FaceApi;
    try {
      faceapi = localRequire('@vladmandic/face-api/dist/face-api.node-wasm.js') as FaceApi;
    } catch (error) {
      throw new Error(
        `@vladmandic/face-api could not load (${(error as Error).message.split('\n')[0]}); it needs @tensorflow/tfjs and @tensorflow/tfjs-backend-wasm 4.22.0 installed.`,
      );
    }
    const dir = faceApiModelDir();
    await faceapi.nets.ssdMobilenetv1.loadFromDisk(dir);
    await faceapi.nets.faceLandmark68Net.loadFromDisk(dir);
    await faceapi.nets.faceRecognitionNet.loadFromDisk(dir);
    return faceapi;
  })();
  loaded.catch(() => {
    loaded = null;
  });
  return loaded;
}
