/**
 * An append-only JSON-lines cache keyed by a string: one line per entry, the last line for a key wins.
 * Appending is what makes interrupted runs resumable: everything written before the interruption is kept, and a
 * torn last line is skipped on load.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Shard } from '@mfr/core';
import { cacheAttemptPath, cacheShardFiles } from '@mfr/core/node';

/** A persistent map from keys to JSON values; see {@link openJsonlCache}. */
export interface JsonlCache<T> {
  readonly path: string;
  get(key: string): T | undefined;
  has(key: string): boolean;
  /** Stores and appends to the file at once (so a crash loses at most this entry). */
  set(key: string, value: T): void;
  readonly size: number;
}

/** Options of {@link openJsonlCache}. */
export interface OpenJsonlCacheOptions {
  /** Append to a file of this shard's own (see `cacheAttemptPath` in @mfr/core), never to the shared cache file [none]. */
  shard?: Shard | null;
}

/**
 * Opens (or creates) a JSONL cache file; lines are `{"k": key, "v": value}`. The shard files of the cache (written
 * by sharded runs) are read too, after the file itself.
 *
 * @example
 * const cache = openJsonlCache<number[]>('.mfr-cache/embeddings/faceres.jsonl');
 * if (!cache.has(hash)) cache.set(hash, Array.from(vector));
 */
export function openJsonlCache<T>(path: string, options: OpenJsonlCacheOptions = {}): JsonlCache<T> {
  const map = new Map<string, T>();
  for (const file of [path, ...cacheShardFiles(path)]) {
    if (!existsSync(file)) continue;
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      if (!line) continue;
      try {
        const entry = JSON.parse(line) as { k: string; v: T };
        if (typeof entry.k === 'string') map.set(entry.k, entry.v);
      } catch {
        // a line torn by an interruption: that entry is recomputed
      }
    }
  }
  // a shard appends to a new file of its own
  const target = options.shard ? cacheAttemptPath(path, options.shard) : path;
  mkdirSync(dirname(target), { recursive: true });
  let needsNewline = existsSync(target) && !readFileSync(target, 'utf8').endsWith('\n') && map.size >= 0;
  return {
    path,
    get: (key) => map.get(key),
    has: (key) => map.has(key),
    set(key, value) {
      map.set(key, value);
      appendFileSync(target, `${needsNewline ? '\n' : ''}${JSON.stringify({ k: key, v: value })}\n`);
      needsNewline = false;
    },
    get size() {
      return map.size;
    },
  };
}

/**
 * Float32 vectors as compact base64 text (about 3x smaller than JSON numbers).
 *
 * @example
 * decodeVector(encodeVector(new Float32Array([1, 2]))); // Float32Array [1, 2]
 */
export function encodeVector(vector: Float32Array): string {
  return Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength).toString('base64');
}

/** Inverse of {@link encodeVector}. */
export function decodeVector(text: string): Float32Array {
  const bytes = Buffer.from(text, 'base64');
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  return new Float32Array(copy.buffer);
}
