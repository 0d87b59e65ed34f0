/**
 * `mfr merge <dir>`: joins what shards wrote into what a single-machine run writes, for both kinds of sharded
 * output: the output folder of `mfr mask --shard` (shard manifests under `.shards/`) and the cache folder of
 * `mfr bench --shard` (masked probes under `masked/`, embedding and face caches under `embeddings/`, `faces/`).
 */
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { listCacheFiles, type MergedCache, mergeJsonlCacheShards } from '@mfr/core/node';
import { MANIFEST_NAME } from '@mfr/masking';
import { type MergeMaskShardsResult, mergeMaskShards, SHARDS_FOLDER } from '@mfr/masking/node';

/** What {@link mergeShards} did. */
export interface MergeShardsResult {
  /** `mask`: a masking output folder; `cache`: a benchmark cache folder; `none`: nothing left to merge. */
  kind: 'mask' | 'cache' | 'none';
  /** Masking output folders merged (the folder itself, or the cache's masked-probe folders). */
  masks: (MergeMaskShardsResult & { folder: string })[];
  /** Cache files that gained the entries of their shard files. */
  caches: MergedCache[];
}

const CACHE_FOLDERS = ['embeddings', 'faces'];

/**
 * Merges the shards of a masking output folder or a benchmark cache folder (see the file comment). Every shard
 * must have finished (masking shards are checked: the error names the missing ones and how to rerun them).
 * Running it again, or on a folder with nothing to merge, changes nothing.
 *
 * @example
 * await mergeShards('out/lfw-masked'); // { kind: 'mask', masks: [{ shards: 8, images: 13233, ... }], caches: [] }
 * await mergeShards('/shared/mfr-cache'); // { kind: 'cache', masks: [...], caches: [...] }
 */
export async function mergeShards(dir: string): Promise<MergeShardsResult> {
  const root = resolve(dir);
  if (existsSync(join(root, SHARDS_FOLDER))) {
    return { kind: 'mask', masks: [{ folder: root, ...(await mergeMaskShards(root)) }], caches: [] };
  }
  const isCache = ['masked', ...CACHE_FOLDERS].some((name) => existsSync(join(root, name)));
  if (!isCache) {
    if (existsSync(join(root, MANIFEST_NAME))) return { kind: 'none', masks: [], caches: [] };
    throw new Error(
      `mfr merge: "${dir}" holds neither shard manifests (${SHARDS_FOLDER}/) nor an mfr cache (embeddings/, ` +
        'masked/); pass the <output-dir> of mfr mask --shard, or the --cache folder of mfr bench --shard',
    );
  }
  const masks: MergeShardsResult['masks'] = [];
  const maskedRoot = join(root, 'masked');
  if (existsSync(maskedRoot)) {
    for (const name of readdirSync(maskedRoot).sort()) {
      const folder = join(maskedRoot, name, 'output');
      if (existsSync(join(folder, SHARDS_FOLDER))) masks.push({ folder, ...(await mergeMaskShards(folder)) });
    }
  }
  const caches: MergedCache[] = [];
  for (const sub of CACHE_FOLDERS) {
    for (const file of listCacheFiles(join(root, sub))) {
      const merged = await mergeJsonlCacheShards(file);
      if (merged) caches.push(merged);
    }
  }
  return { kind: masks.length + caches.length > 0 ? 'cache' : 'none', masks, caches };
}
