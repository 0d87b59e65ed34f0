/**
 * Embeds every image once per model, with a disk cache keyed by model id and file hash
 * (`.mfr-cache/embeddings/<model id>.jsonl`) and a shared face-analysis cache (`.mfr-cache/faces/`), so an
 * interrupted run resumes where it stopped and later runs with other pair lists reuse the work.
 */

import { join } from 'node:path';
import type { Shard } from '@mfr/core';
import { type JsonlCache, openJsonlCache, readImage } from '@mfr/core/node';
import type * as tf from '@tensorflow/tfjs-core';
import {
  createFaceAnalyzer,
  type FaceAnalysis,
  type FaceAnalyzer,
  faceAnalyzerKey,
} from '../models/face-analysis.js';
import type { BenchModel } from '../models/types.js';
import { hashFile } from '../util/fs.js';
import { decodeVector, encodeVector } from './vector-text.js';

/** One image to embed. */
export interface ImageJob {
  path: string;
  /** Fraction of the shorter side for the centre-crop fallback when no face is found. */
  fallbackCrop: number;
}

/** What is known about one embedded image. */
export interface EmbeddedImage {
  /** One representation per model (same order as the models), or null when the image could not be read. */
  vectors: Float32Array[] | null;
  /** 'face' / 'fallback' from the face analysis (undefined when no model needed it). */
  face?: 'face' | 'fallback';
  /** Why the image failed, when it did. */
  error?: string;
}

/** Options of {@link embedImages}. */
export interface EmbedImagesOptions {
  /** Cache root (`.mfr-cache`). */
  cacheDir: string;
  /** Called after each image. */
  onProgress?: (done: number, total: number, cached: number) => void;
  /** A face analyzer to use (default: face-api's, created on first need). */
  analyzer?: FaceAnalyzer;
  /** Write new cache entries to this shard's own files, not to the shared cache files [none]. */
  shard?: Shard | null;
}

type CachedAnalysis = Omit<FaceAnalysis, 'landmarks68'>;

/**
 * Embeds `jobs` with every model. Images are decoded at most once; models whose vector is cached are skipped.
 * A file that cannot be read is recorded with its error and the run goes on. Tensors are disposed per image.
 *
 * @example
 * const result = await embedImages([{ path: '/data/a.jpg', fallbackCrop: 0.55 }], models, { cacheDir: '.mfr-cache' });
 * result.get('/data/a.jpg')?.vectors?.[0]; // Float32Array
 */
export async function embedImages(
  jobs: readonly ImageJob[],
  models: readonly BenchModel[],
  options: EmbedImagesOptions,
): Promise<Map<string, EmbeddedImage>> {
  let analyzer = options.analyzer ?? null;
  const analyzerKey = analyzer?.key ?? faceAnalyzerKey();
  // embeddings depend on the face analysis (landmarks, fallback), so its key is part of the cache name
  const caches: JsonlCache<string>[] = models.map((m) =>
    openJsonlCache<string>(join(options.cacheDir, 'embeddings', `${m.id}--${analyzerKey}.jsonl`), {
      shard: options.shard,
    }),
  );
  const faceCache = openJsonlCache<CachedAnalysis>(join(options.cacheDir, 'faces', `${analyzerKey}.jsonl`), {
    shard: options.shard,
  });
  const getAnalyzer = async () => {
    analyzer ??= await createFaceAnalyzer();
    return analyzer;
  };
  const result = new Map<string, EmbeddedImage>();
  const unique = [...new Map(jobs.map((j) => [j.path, j])).values()];
  let done = 0;
  let cachedCount = 0;
  for (const job of unique) {
    let hash: string;
    try {
      hash = await hashFile(job.path);
    } catch (error) {
      result.set(job.path, { vectors: null, error: (error as Error).message });
      options.onProgress?.(++done, unique.length, cachedCount);
      continue;
    }
    // analysis is keyed by file hash and fallback crop (the fallback depends on it)
    const faceKey = `${hash}:${job.fallbackCrop}`;
    const missing = models.map((_, i) => !caches[i].has(hash));
    let face: 'face' | 'fallback' | undefined;
    if (!missing.some(Boolean)) {
      cachedCount++;
      face = faceCache.get(faceKey)?.status;
    } else {
      let image: tf.Tensor3D | null = null;
      try {
        image = await readImage(job.path);
        const img = image;
        let analysis: CachedAnalysis | undefined;
        const analyse = async (): Promise<FaceAnalysis> => {
          if (analysis) return analysis as FaceAnalysis;
          analysis = faceCache.get(faceKey);
          if (!analysis) {
            const { landmarks68: _omit, ...rest } = await (await getAnalyzer()).analyze(
              img,
              job.fallbackCrop,
            );
            analysis = rest;
            faceCache.set(faceKey, rest);
          }
          return analysis as FaceAnalysis;
        };
        for (let i = 0; i < models.length; i++) {
          if (!missing[i]) continue;
          const vector = await models[i].embed({ path: job.path, image: img, analysis: analyse });
          if (!vector.every(Number.isFinite))
            throw new Error(`model ${models[i].label} gave a non-finite embedding`);
          caches[i].set(hash, encodeVector(vector));
        }
        face = analysis?.status ?? faceCache.get(faceKey)?.status;
      } catch (error) {
        result.set(job.path, { vectors: null, error: (error as Error).message.split('\n')[0] });
        options.onProgress?.(++done, unique.length, cachedCount);
        continue;
      } finally {
        image?.dispose();
      }
    }
    result.set(job.path, { vectors: caches.map((c) => decodeVector(c.get(hash)!)), face });
    options.onProgress?.(++done, unique.length, cachedCount);
  }
  return result;
}
