/**
 * face-api's 128-d face descriptor (its ResNet-34-like recognition net, a port of dlib's), computed from a face's
 * 68 landmarks exactly as face-api's own `withFaceDescriptors()` does: the dlib-style aligned box of the
 * landmarks, that region cut out of the image, then the recognition net. The benchmark's `faceapi` baseline gets
 * its vectors through that same call, so a head trained on the benchmark's vectors sees the same input here.
 */
import { type FaceApi, loadFaceApi, loadFaceApiNet } from '@mfr/masking';
import * as tf from '@tensorflow/tfjs-core';

/** Options of {@link createFaceApiDescriber}. */
export interface FaceApiDescriberOptions {
  /** Folder or URL of face-api's model files. Default in Node: the installed package; a page passes its URL. */
  modelDir?: string;
}

/** Computes face-api descriptors; see {@link createFaceApiDescriber}. */
export interface FaceApiDescriber {
  /** Descriptor length (128). */
  readonly dim: number;
  /**
   * The descriptor of the face with these 68 landmarks (pixels of `image`) in an RGB image `[h, w, 3]` with
   * values 0-255. The image is not disposed.
   */
  describe(image: tf.Tensor3D, landmarks68: readonly (readonly [number, number])[]): Promise<Float32Array>;
  /**
   * The descriptor of a region given by a box instead (a face without landmarks: a centre-crop fallback, or a
   * photo that is already a face crop), as face-api describes a detection without landmarks.
   */
  describeRegion(
    image: tf.Tensor3D,
    box: { x: number; y: number; width: number; height: number },
  ): Promise<Float32Array>;
  /** Frees the recognition net's weights. */
  dispose(): void;
}

/**
 * Loads face-api's recognition net (its own instance, not face-api's global one).
 *
 * @example
 * const describer = await createFaceApiDescriber();
 * const [face] = await finder.find(pixels);
 * const d = await describer.describe(image, face.landmarks68); // Float32Array(128)
 */
export async function createFaceApiDescriber(
  options: FaceApiDescriberOptions = {},
): Promise<FaceApiDescriber> {
  const faceapi: FaceApi = await loadFaceApi();
  const net = await loadFaceApiNet(new faceapi.FaceRecognitionNet(), 'face recognition', options.modelDir);
  const describeBox = async (image: tf.Tensor3D, box: unknown): Promise<Float32Array> => {
    const input = tf.tidy(() => tf.cast(tf.clipByValue(image, 0, 255), 'int32') as tf.Tensor3D);
    let chips: tf.Tensor3D[] = [];
    try {
      chips = await faceapi.extractFaceTensors(input, [box]);
      return Float32Array.from((await net.computeFaceDescriptor(chips[0])) as Float32Array);
    } finally {
      input.dispose();
      tf.dispose(chips);
    }
  };
  return {
    dim: 128,
    async describe(image, landmarks68) {
      if (landmarks68.length !== 68) {
        throw new Error(`faceapi descriptor: expected 68 landmarks, got ${landmarks68.length}`);
      }
      const [height, width] = image.shape;
      // face-api keeps landmarks relative to the image and scales them back by its size
      const landmarks = new faceapi.FaceLandmarks68(
        landmarks68.map(([x, y]) => new faceapi.Point(x / width, y / height)),
        { width, height },
      );
      return describeBox(image, landmarks.align(null, { useDlibAlignment: true }));
    },
    async describeRegion(image, { x, y, width, height }) {
      return describeBox(image, new faceapi.Rect(x, y, width, height));
    },
    dispose: () => net.dispose(),
  };
}
