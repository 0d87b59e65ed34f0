/**
 * Embedding cache for frozen embedders: the descriptor of an image never changes while the extractor is frozen,
 * so each image is embedded once (keyed by model key + framing + path) and kept in memory, optionally persisted
 * as JSON lines so a second run (or a resumed one) skips the extractor entirely.
 */
import type { Shard } from '@mfr/core';
import { openJsonlCache } from '@mfr/core/node';
import * as tf from '@tensorflow/tfjs-core';
import type { FaceLoader, FaceRef } from '../train/faces.js';

/** Options for {@link createEmbeddingCache}. */
export interface EmbeddingCacheOptions {
  /** Computes raw descriptors `[n, dim]` for a 0-255 face batch (e.g. `embedder.embed` or `model.embedImages`). */
  embed: (faces: tf.Tensor4D) => tf.Tensor2D;
  /** Cache key of the extractor (e.g. `embedder.key`); entries are keyed by it, the face loader's key and the path. */
  modelKey: string;
  /** Loads the faces to embed. */
  faces: FaceLoader;
  /** JSON-lines file to persist to and preload from. Default: memory only. */
  file?: string;
  /** Faces per extractor call. Default 16. */
  batchSize?: number;
  /**
   * Append new entries to a file of this shard's own beside `file` (see `cacheAttemptPath` in @mfr/core), never to
   * `file` itself, so shards on several machines can fill one cache. Entries of every shard file are read. Default:
   * none (append to `file`).
   */
  shard?: Shard | null;
}

/** Cached raw embeddings. */
export interface EmbeddingCache {
  /** Raw embeddings `[n, dim]` in the order of `faces`; computes the missing ones. The caller disposes it. */
  get(faces: readonly FaceRef[]): Promise<tf.Tensor2D>;
  /** Entries held. */
  readonly size: number;
  readonly stats: { computed: number; hits: number };
}

/**
 * Creates an embedding cache.
 *
 * @example
 * const cache = createEmbeddingCache({ embed: (x) => faceres.embed(x), modelKey: faceres.key, faces, file: '.mfr-cache/emb/faceres.jsonl' });
 * const e = await cache.get([{ path: 'a.jpg' }]); // [1, 1024]
 */
export function createEmbeddingCache(options: EmbeddingCacheOptions): EmbeddingCache {
  // held as Float32Array, written as plain numbers (readable by any JSON tool)
  const memory = openJsonlCache<Float32Array>(options.file ?? null, {
    shard: options.shard,
    revive: (v) => Float32Array.from(v as number[]),
    toJson: (v) => Array.from(v),
  });
  const stats = { computed: 0, hits: 0 };
  const batchSize = options.batchSize ?? 16;
  const keyOf = (f: FaceRef) => `${options.modelKey}|${options.faces.key}|${f.path}`;
  let dim = 0;

  return {
    async get(faces) {
      if (faces.length === 0) throw new Error('embeddingCache.get: no faces given');
      const pending = new Set<string>();
      const missing = faces.filter((f) => {
        const k = keyOf(f);
        if (memory.has(k) || pending.has(k)) return false;
        pending.add(k);
        return true;
      });
      for (let start = 0; start < missing.length; start += batchSize) {
        const chunk = missing.slice(start, start + batchSize);
        const batch = await options.faces.loadBatch(chunk);
        const out = tf.tidy(() => options.embed(batch));
        batch.dispose();
        const data = (await out.data()) as Float32Array;
        const d = out.shape[1];
        out.dispose();
        memory.setMany(chunk.map((f, i) => [keyOf(f), data.slice(i * d, (i + 1) * d)] as const));
        stats.computed += chunk.length;
      }
      stats.hits += faces.length - missing.length;
      const rows = faces.map((f) => memory.get(keyOf(f))!);
      dim = rows[0].length;
      const flat = new Float32Array(rows.length * dim);
      rows.forEach((r, i) => {
        flat.set(r, i * dim);
      });
      return tf.tensor2d(flat, [rows.length, dim]);
    },
    get size() {
      return memory.size;
    },
    stats,
  };
}
