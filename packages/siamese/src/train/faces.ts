/**
 * Image files -> face tensors at a model's input size, RGB 0-255, cached in memory.
 *
 * Two ways to frame a face:
 * - 'center': a central square crop (`cropFraction` of the shorter side), for pre-aligned sets such as
 *   LFW deep-funneled, Yale B cropped and AT&T.
 * - 'landmarks': 5-point similarity alignment to the ArcFace template (what GraphModel embedders need). The
 *   landmarks come from the manifest or a `landmarks` callback run on the UNMASKED source photo; the masked
 *   copy shares its geometry, so a probe is aligned with its source's landmarks. A face without landmarks
 *   falls back to the centre crop (counted in `stats.fallbacks`).
 */
import { ARCFACE_TEMPLATE_112, alignFace, cropAndResize, fivePointsFrom68 } from '@mfr/core';
import { readImage } from '@mfr/core/node';
import * as tf from '@tensorflow/tfjs-core';

/**
 * Finds the main face's landmarks in an image: 5 alignment points (eye centres, nose tip, mouth corners) or the
 * 68 iBUG points (converted with fivePointsFrom68); null when there is no face.
 */
export type LandmarkProvider = (image: tf.Tensor3D, path: string) => Promise<[number, number][] | null>;

/** Options for {@link createFaceLoader}. */
export interface FaceLoaderOptions {
  /** Output side in pixels (the model's input size). */
  size: number;
  /** 'center' or 'landmarks'. Default 'center'. */
  framing?: 'center' | 'landmarks';
  /** Central crop side as a fraction of the shorter image side, for 'center'. Default 0.6 (LFW: the face region). */
  cropFraction?: number;
  /** Landmark finder for 'landmarks' when the manifest has none. */
  landmarks?: LandmarkProvider;
  /** Id of the landmark finder's settings, part of {@link FaceLoader.key} (for embedding caches). Default 'none'. */
  landmarksKey?: string;
  /**
   * Where a probe's landmarks come from: 'source' = its unmasked source photo (manifest or detection; exact for
   * synthetic masks, used in training), 'self' = detection on the masked image itself (what deployment has).
   * Default 'source'.
   */
  probeGeometry?: 'source' | 'self';
  /** Faces kept in memory (float32 tensors). Default 2048. */
  cacheSize?: number;
}

/** A face to load: its file and, for probes, the unmasked source that holds its geometry. */
export interface FaceRef {
  path: string;
  geometrySource?: string;
  landmarks68?: [number, number][];
}

/** Loads faces; call `dispose()` to free the cache. */
export interface FaceLoader {
  readonly size: number;
  /** Id of the framing settings (framing, size, crop, landmark finder): faces with equal keys are identical. */
  readonly key: string;
  /** A `[n, size, size, 3]` float32 batch (0-255). The caller disposes it. */
  loadBatch(faces: readonly FaceRef[]): Promise<tf.Tensor4D>;
  /** Landmarks found (or given) for a source image, null when none; cached. */
  landmarksOf(source: string): Promise<[number, number][] | null>;
  readonly stats: { loaded: number; cacheHits: number; fallbacks: number };
  /** Faces (tensors) held in the cache now. */
  readonly cached: number;
  dispose(): void;
}

/**
 * Creates a face loader with an in-memory LRU cache.
 *
 * @example
 * const faces = createFaceLoader({ size: 112, framing: 'center' });
 * const batch = await faces.loadBatch([{ path: 'a.jpg' }, { path: 'b_masked.jpg', geometrySource: 'b.jpg' }]);
 */
export function createFaceLoader(options: FaceLoaderOptions): FaceLoader {
  const { size } = options;
  if (!Number.isInteger(size) || size <= 0)
    throw new Error(`createFaceLoader: size must be a positive integer, got ${size}`);
  const framing = options.framing ?? 'center';
  const cropFraction = options.cropFraction ?? 0.6;
  const cacheSize = options.cacheSize ?? 2048;
  const cache = new Map<string, tf.Tensor3D>();
  const landmarkCache = new Map<string, [number, number][] | null>();
  const stats = { loaded: 0, cacheHits: 0, fallbacks: 0 };
  const selfGeometry = options.probeGeometry === 'self';

  const centre = (image: tf.Tensor3D): tf.Tensor3D => {
    const [h, w] = image.shape;
    const side = Math.min(h, w) * cropFraction;
    return cropAndResize(image, { x: (w - side) / 2, y: (h - side) / 2, width: side, height: side }, size);
  };

  const landmarksOf = async (source: string, image?: tf.Tensor3D): Promise<[number, number][] | null> => {
    if (landmarkCache.has(source)) return landmarkCache.get(source)!;
    if (!options.landmarks) return null;
    const own = image ? null : await readImage(source);
    try {
      const found = await options.landmarks(image ?? own!, source);
      landmarkCache.set(source, found);
      return found;
    } finally {
      own?.dispose();
    }
  };

  const loadOne = async (face: FaceRef): Promise<tf.Tensor3D> => {
    const key = face.path;
    const hit = cache.get(key);
    if (hit) {
      stats.cacheHits++;
      cache.delete(key); // re-insert: most recently used last
      cache.set(key, hit);
      return hit;
    }
    const image = await readImage(face.path);
    let out: tf.Tensor3D;
    try {
      if (framing === 'landmarks') {
        const source = selfGeometry ? face.path : (face.geometrySource ?? face.path);
        // given landmarks belong to the geometry source (the photo itself for references)
        const givenApplies = !selfGeometry || !face.geometrySource;
        if (givenApplies && face.landmarks68 && !landmarkCache.has(source))
          landmarkCache.set(source, face.landmarks68);
        const lm = await landmarksOf(source, source === face.path ? image : undefined);
        if (lm)
          out = alignFace(image, lm.length === 68 ? fivePointsFrom68(lm) : lm, {
            size,
            template: ARCFACE_TEMPLATE_112,
          });
        else {
          stats.fallbacks++;
          out = centre(image);
        }
      } else {
        out = centre(image);
      }
    } finally {
      image.dispose();
    }
    stats.loaded++;
    cache.set(key, out);
    if (cache.size > cacheSize) {
      const oldest = cache.keys().next().value as string;
      cache.get(oldest)?.dispose();
      cache.delete(oldest);
    }
    return out;
  };

  return {
    size,
    key:
      framing === 'landmarks'
        ? `landmarks-${size}-${options.landmarksKey ?? 'none'}-fb${cropFraction}${selfGeometry ? '-self' : ''}`
        : `center-${size}-${cropFraction}`,
    async loadBatch(faces) {
      if (faces.length === 0) throw new Error('loadBatch: no faces given');
      const tensors: tf.Tensor3D[] = [];
      for (const f of faces) tensors.push(await loadOne(f));
      // stack copies, so evicting a cached face later cannot break the batch
      return tf.stack(tensors) as tf.Tensor4D;
    },
    landmarksOf: (source) => landmarksOf(source),
    stats,
    get cached() {
      return cache.size;
    },
    dispose() {
      for (const t of cache.values()) t.dispose();
      cache.clear();
    },
  };
}
