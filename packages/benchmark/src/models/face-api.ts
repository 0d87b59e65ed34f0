/**
 * face-api for the benchmark's `faceapi` baseline: the module itself is loaded by `@mfr/masking` (the one owner
 * of face-api loading and face finding); this adds the nets the baseline needs in face-api's global `nets`:
 * SSD MobileNet v1, the 68 landmarks and the 128-d recognition net, from the package's own model folder.
 */
import { type FaceApi, loadFaceApi as loadFaceApiModule } from '@mfr/masking';
import { faceApiModelDir } from '@mfr/masking/node';

export { type FaceApi, faceApiModelDir };

let loaded: Promise<FaceApi> | null = null;

/**
 * face-api with SSD MobileNet v1, 68-point landmarks and the 128-d recognition net loaded (no download). Loaded
 * once per process.
 *
 * @example
 * const faceapi = await loadFaceApi();
 * const faces = await faceapi.detectAllFaces(image).withFaceLandmarks().withFaceDescriptors();
 */
export function loadFaceApi(): Promise<FaceApi> {
  loaded ??= (async () => {
    const faceapi = await loadFaceApiModule();
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
