/**
 * Shard files of JSON-lines caches (lines `{"k": key, "v": value}`, the last line of a key wins): the embedding and
 * face-analysis caches of `mfr bench` and the frozen-embedder cache of `mfr train`. A sharded run (`--shard i/n`)
 * never appends to a cache file that another process may append to: it writes
 * `<cache>.shards/<i>-of-<n>.<attempt>.jsonl` beside `<cache>.jsonl`, one file per attempt. Every reader of the cache
 * reads those files too, so a later unsharded run sees all the shards' work; {@link mergeJsonlCacheShards} (`mfr
 * merge`) folds them into the cache file itself.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { type Shard, shardSlug } from '../shard/shard.js';
import { writeFilesAtomic } from './atomic.js';

/**
 * The folder of a cache file's shard files.
 *
 * @example
 * cacheShardFolder('cache/embeddings/faceres.jsonl'); // 'cache/embeddings/faceres.shards'
 */
export function cacheShardFolder(cachePath: string): string {
  return `${cachePath.replace(/\.jsonl$/, '')}.shards`;
}

/** A new shard file of a cache for one attempt of `shard` (unique per host, process and start). */
export function cacheAttemptPath(cachePath: string, shard: Shard): string {
  const host = hostname().replace(/[^A-Za-z0-9_-]/g, '_');
  const attempt = `${host}-${process.pid}-${randomBytes(3).toString('hex')}`;
  return join(cacheShardFolder(cachePath), `${shardSlug(shard)}.${attempt}.jsonl`);
}

/** The shard files of a cache file, sorted (none when it has no shard folder). */
export function cacheShardFiles(cachePath: string): string[] {
  const folder = cacheShardFolder(cachePath);
  if (!existsSync(folder)) return [];
  return readdirSync(folder)
    .filter((name) => name.endsWith('.jsonl'))
    .sort()
    .map((name) => join(folder, name));
}

/**
 * The entries of one JSONL cache file as `[key, line]` pairs (a line torn by an interruption is skipped).
 *
 * @example
 * for (const [key, line] of readCacheLines('cache/faces/x.jsonl')) console.log(key);
 */
export function readCacheLines(path: string): [string, string][] {
  const out: [string, string][] = [];
  if (!existsSync(path)) return out;
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (!line) continue;
    try {
      const entry = JSON.parse(line) as { k: unknown };
      if (typeof entry.k === 'string') out.push([entry.k, line]);
    } catch {
      // a line torn by an interruption: that entry is recomputed
    }
  }
  return out;
}

/** What {@link mergeJsonlCacheShards} did to one cache file. */
export interface MergedCache {
  readonly path: string;
  /** Shard files folded in. */
  readonly files: number;
  /** Entries the cache file gained. */
  readonly added: number;
  /** Entries in the cache file afterwards. */
  readonly entries: number;
}

/**
 * Folds a cache file's shard files into it: the file is rewritten atomically with its own lines first, then one
 * line for every key it lacked, in shard-file order; then the shard folder is removed. Running it again after a
 * crash is safe. Returns null when the cache has no shard files.
 *
 * @example
 * await mergeJsonlCacheShards('cache/embeddings/faceres--faceapi-1.jsonl'); // { files: 4, added: 1200, ... }
 */
export async function mergeJsonlCacheShards(cachePath: string): Promise<MergedCache | null> {
  const folder = cacheShardFolder(cachePath);
  if (!existsSync(folder)) return null;
  const files = cacheShardFiles(cachePath);
  if (files.length === 0) {
    // a shard opened the cache but had nothing to add
    await rm(folder, { recursive: true, force: true });
    return null;
  }
  const own = readCacheLines(cachePath);
  const keys = new Set(own.map(([k]) => k));
  const lines = own.map(([, line]) => line);
  let added = 0;
  for (const file of files) {
    for (const [key, line] of readCacheLines(file)) {
      if (keys.has(key)) continue;
      keys.add(key);
      lines.push(line);
      added++;
    }
  }
  await writeFilesAtomic([[cachePath, lines.length > 0 ? `${lines.join('\n')}\n` : '']]);
  const trash = `${folder}.merged.${process.pid}.${randomBytes(3).toString('hex')}`;
  await rename(folder, trash);
  await rm(trash, { recursive: true, force: true });
  return { path: cachePath, files: files.length, added, entries: keys.size };
}

/**
 * The cache files (`*.jsonl`) of a folder, including those that so far exist only as shard folders.
 *
 * @example
 * listCacheFiles('cache/embeddings'); // ['cache/embeddings/faceres--faceapi-1.jsonl', ...]
 */
export function listCacheFiles(folder: string): string[] {
  if (!existsSync(folder)) return [];
  const names = new Set<string>();
  for (const name of readdirSync(folder)) {
    if (name.endsWith('.jsonl')) names.add(name);
    else if (name.endsWith('.shards')) names.add(`${name.slice(0, -'.shards'.length)}.jsonl`);
  }
  return [...names].sort().map((name) => join(folder, name));
}
