/** Batched embedding and similarity for Siamese models and ensembles. */
import { yieldToEventLoop } from '@mfr/core';
import * as tf from '@tensorflow/tfjs-core';
import { isEnsemble, type SiameseEnsemble } from './ensemble.js';
import { type Readout, readoutSimilarity } from './readouts.js';
import type { SiameseModel } from './siamese.js';

/** Images for {@link embed}: a batch `[n, h, w, 3]` or a list of `[h, w, 3]`, RGB values 0-255, aligned or cropped. */
export type ImageInput = tf.Tensor4D | readonly tf.Tensor3D[];

/** Options for {@link embed}. */
export interface EmbedOptions {
  /** Images per forward pass. Default 32. */
  batchSize?: number;
}

/** Options for {@link similarity}. */
export interface SimilarityOptions extends EmbedOptions {
  /** Which readout. Default 'output'. */
  readout?: Readout;
}

function count(images: ImageInput): number {
  return Array.isArray(images) ? images.length : (images as tf.Tensor4D).shape[0];
}

// Rows [start, end) of the input as one batch resized to `size`.
function slice(images: ImageInput, start: number, end: number, size: [number, number]): tf.Tensor4D {
  return tf.tidy(() => {
    if (!Array.isArray(images)) {
      const t = images as tf.Tensor4D;
      return tf.slice(t, [start, 0, 0, 0], [end - start, -1, -1, -1]) as tf.Tensor4D;
    }
    const list = (images as readonly tf.Tensor3D[]).slice(start, end).map((im, i) => {
      if (im.rank !== 3 || im.shape[2] !== 3) {
        throw new Error(`embed: image ${start + i} has shape [${im.shape}], expected [height, width, 3]`);
      }
      const f = tf.cast(im, 'float32') as tf.Tensor3D;
      return im.shape[0] === size[0] && im.shape[1] === size[1]
        ? f
        : tf.image.resizeBilinear(f, size, false, true);
    });
    return tf.stack(list) as tf.Tensor4D;
  });
}

/**
 * Prepared embeddings `[n, embeddingDim]` (L2-normalised by default) of RGB images with values 0-255.
 * Runs in batches of `batchSize`; does not dispose the input; the caller disposes the result.
 *
 * @example
 * const e = await embed(model, faces); // [faces.length, 128]
 */
export async function embed(
  model: SiameseModel,
  images: ImageInput,
  options: EmbedOptions = {},
): Promise<tf.Tensor2D> {
  const n = count(images);
  if (n === 0) throw new Error('embed: no images given');
  if (model.config.fused?.length) {
    throw new Error(
      `embed: this model fuses ${model.config.fused.join(', ')} descriptors, which need each face's landmarks, not ` +
        "only its aligned crop: use createMatcher, or embedFace(model, face, descriptor) with each face's descriptor",
    );
  }
  const batchSize = options.batchSize ?? 32;
  const parts: tf.Tensor2D[] = [];
  try {
    for (let start = 0; start < n; start += batchSize) {
      const end = Math.min(n, start + batchSize);
      parts.push(
        tf.tidy(() =>
          model.prepareEmbedding(model.embedImages(slice(images, start, end, model.config.inputSize))),
        ),
      );
      // yield to the event loop between batches so progress bars and timers keep running
      await yieldToEventLoop();
    }
    return parts.length === 1 ? parts[0] : (tf.concat(parts, 0) as tf.Tensor2D);
  } finally {
    if (parts.length > 1) tf.dispose(parts);
  }
}

/**
 * The prepared embedding `[1, d]` of one aligned face, with the face's fused descriptors appended when
 * the model fuses some (`config.fused`; e.g. createFaceApiDescriber's descriptor of the same face). For an
 * ensemble: every member's prepared embedding side by side, as its `readoutSimilarity` takes them. The caller
 * disposes the result; the face is not disposed.
 *
 * @example
 * const e = embedFace(model, aligned, await describer.describe(image, landmarks68));
 */
export function embedFace(
  model: SiameseModel | SiameseEnsemble,
  face: tf.Tensor3D,
  fused?: Float32Array,
): tf.Tensor2D {
  if (!isEnsemble(model)) return tf.tidy(() => model.prepareEmbedding(rawFaceEmbedding(model, face, fused)));
  return tf.tidy(() => {
    // members on the same embedder (a loaded ensemble's all are) embed the face once
    const raws = new Map<unknown, tf.Tensor2D>();
    const parts = model.members.map((m) => {
      const key = m.embedder ? `${m.embedder.key}|${m.config.fused ?? ''}` : m.backbone;
      let raw = raws.get(key);
      if (!raw) {
        raw = rawFaceEmbedding(m, face, fused);
        raws.set(key, raw);
      }
      return m.prepareEmbedding(raw);
    });
    return tf.concat(parts, 1) as tf.Tensor2D;
  });
}

/** The embedder's embedding of one face with its fused descriptors appended, before `prepareEmbedding`. */
function rawFaceEmbedding(model: SiameseModel, face: tf.Tensor3D, fused?: Float32Array): tf.Tensor2D {
  if (Boolean(model.config.fused?.length) !== Boolean(fused)) {
    throw new Error(
      model.config.fused?.length
        ? `embedFace: the model fuses ${model.config.fused.join(', ')} descriptors; pass the face's descriptor`
        : 'embedFace: the model fuses no descriptors; pass none',
    );
  }
  return tf.tidy(() => {
    const raw = model.embedImages(tf.expandDims(face, 0) as tf.Tensor4D);
    return fused ? (tf.concat([raw, tf.tensor2d(fused, [1, fused.length])], 1) as tf.Tensor2D) : raw;
  });
}

/**
 * Similarity of `references[i]` and `probes[i]` for every i, in [0, 1] (higher = same person), from a model or
 * an ensemble (mean of its members). Inputs are RGB images 0-255 (any size; each model resizes them).
 *
 * @example
 * const scores = await similarity(model, refs, probes, { readout: 'fc512' }); // Float32Array
 */
export async function similarity(
  matcher: SiameseModel | SiameseEnsemble,
  references: ImageInput,
  probes: ImageInput,
  options: SimilarityOptions = {},
): Promise<Float32Array> {
  const n = count(references);
  if (n !== count(probes))
    throw new Error(`similarity: ${n} references but ${count(probes)} probes; give one of each per pair`);
  if (isEnsemble(matcher)) return matcher.similarity(references, probes, options);
  const e1 = await embed(matcher, references, options);
  const e2 = await embed(matcher, probes, options);
  try {
    return await similarityFromEmbeddings(matcher, e1, e2, options.readout ?? 'output');
  } finally {
    e1.dispose();
    e2.dispose();
  }
}

/**
 * Row-wise similarities from already prepared embeddings (see {@link embed}, or {@link embedFace} for an
 * ensemble); useful when embeddings are cached.
 *
 * @example
 * const s = await similarityFromEmbeddings(model, e1, e2, 'output');
 */
export async function similarityFromEmbeddings(
  model: SiameseModel | SiameseEnsemble,
  e1: tf.Tensor2D,
  e2: tf.Tensor2D,
  readout: Readout = 'output',
): Promise<Float32Array> {
  const s = readoutSimilarity(model, e1, e2, readout);
  try {
    return (await s.data()) as Float32Array;
  } finally {
    s.dispose();
  }
}
