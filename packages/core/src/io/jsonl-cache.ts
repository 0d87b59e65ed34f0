/**
 * An append-only JSON-lines cache keyed by a string: one line `{"k": key, "v": value}` per entry, the last line
 * for a key wins. Appending is what makes interrupted runs resumable: everything written before the interruption
 * is kept, and a torn last line is skipped on load. Sharded runs append to files of their own beside the cache
 * (see cache-shards.ts), which are read too. The one such cache of the workspace: the benchmark's embeddings and
 * face analyses and the Siamese trainer's frozen-embedder cache use it.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Shard } from '../shard/shard.js';
import { cacheAttemptPath, cacheShardFiles } from './cache-shards.js';

/** A persistent map from keys to values; see {@link openJsonlCache}. */
export interface JsonlCache<T> {
  /** The cache file, or null for a cache held in memory only. */
  readonly path: string | null;
  get(key: string): T | undefined;
  has(key: string): boolean;
  /** Stores and appends to the file at once (so a crash loses at most this entry). */
  set(key: string, value: T): void;
  /** Stores several entries and appends them in one write. */
  setMany(entries: Iterable<readonly [string, T]>): void;
  readonly size: number;
}

/** Options of {@link openJsonlCache}. */
export interface OpenJsonlCacheOptions<T> {
  /** Append to a file of this shard's own (see `cacheAttemptPath`), never to the shared cache file [none]. */
  shard?: Shard | null;
  /** Turns a value read from the file into the value held [as read]. */
  revive?: (json: unknown) => T;
  /** Turns a held value into what is written [the value itself]. */
  toJson?: (value: T) => unknown;
}

/**
 * Opens (or creates) a JSONL cache file, or a memory-only cache when `path` is null.
 *
 * @example
 * const cache = openJsonlCache<number[]>('.mfr-cache/embeddings/faceres.jsonl');
 * if (!cache.has(hash)) cache.set(hash, Array.from(vector));
 */
export function openJsonlCache<T>(
  path: string | null,
  options: OpenJsonlCacheOptions<T> = {},
): JsonlCache<T> {
  const revive = options.revive ?? ((json: unknown) => json as T);
  const toJson = options.toJson ?? ((value: T) => value);
  const map = new Map<string, T>();
  for (const file of path ? [path, ...cacheShardFiles(path)] : []) {
    if (!existsSync(file)) continue;
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      if (!line) continue;
      let entry: { k?: unknown; v?: unknown };
      try {
        entry = JSON.parse(line);
      } catch {
        continue; // a line torn by an interruption: that entry is recomputed
      }
      if (typeof entry.k === 'string') map.set(entry.k, revive(entry.v));
    }
  }
  // a shard appends to a new file of its own
  const target = path && options.shard ? cacheAttemptPath(path, options.shard) : path;
  if (target) mkdirSync(dirname(target), { recursive: true });
  let needsNewline = target != null && existsSync(target) && !readFileSync(target, 'utf8').endsWith('\n');
  const append = (entries: [string, T][]) => {
    if (!target || entries.length === 0) return;
    const lines = entries.map(([k, v]) => JSON.stringify({ k, v: toJson(v) })).join('\n');
    appendFileSync(target, `${needsNewline ? '\n' : ''}${lines}\n`);
    needsNewline = false;
  };
  return {
    path,
    get: (key) => map.get(key),
    has: (key) => map.has(key),
    set(key, value) {
      map.set(key, value);
      append([[key, value]]);
    },
    setMany(entries) {
      const list = [...entries] as [string, T][];
      for (const [k, v] of list) map.set(k, v);
      append(list);
    },
    get size() {
      return map.size;
    },
  };
}
