/**
 * Where each pair's probe image comes from: a synthetic masked copy (made by @mfr/masking and cached), a real
 * masked photo (`--masked-dir`, used as is), or the unmasked original (`--no-mask`, a sanity check).
 */
import { existsSync } from 'node:fs';
import { mkdir, symlink } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { inShard, type Shard } from '@mfr/core';
import { MANIFEST_NAME, type MaskSpec } from '@mfr/masking';
import { maskDataset, readMaskManifest, readShardStart } from '@mfr/masking/node';
import type { DatasetRef, MaskSource } from '../datasets/resolve.js';
import { hashJson } from '../util/fs.js';

/** The probe image for one pair, or why there is none. */
export interface ProbeSource {
  /** Absolute path of the image to embed, or null when the probe is dropped. */
  path: string | null;
  /** 'ok', or the masking status / 'missing' that dropped it. */
  status: string;
}

/** Options of {@link resolveProbes}. */
export interface ResolveProbesOptions {
  maskSource: MaskSource;
  /** Mask description for synthetic masks (passed to @mfr/masking). */
  maskSpec: Record<string, unknown>;
  /** Cache root (default `.mfr-cache` in the working folder). */
  cacheDir: string;
  /** Seed of the masking run (default 1). */
  seed?: number;
  /** Resolve (and mask) only the probes of this shard; the others get status 'other shard' [all]. */
  shard?: Shard | null;
  /** Progress callback for the masking step. */
  onProgress?: (done: number, total: number) => void;
}

/**
 * Resolves probe images (relative paths of the pair list) to files. Synthetic masks: the probes are linked into a
 * mirror folder (`input/`) and masked with @mfr/masking's `maskDataset` into
 * `.mfr-cache/masked/<dataset>-<spec hash>/output/` (a rerun resumes: finished images are skipped). Only images with manifest status 'masked' are used, the rest are dropped with their status.
 *
 * @example
 * const probes = await resolveProbes(dataset, ['a/a_0002.jpg'], { maskSource: 'synthetic', maskSpec: {}, cacheDir: '.mfr-cache' });
 * probes.get('a/a_0002.jpg'); // { path: '/.../masked/a/a_0002.jpg', status: 'ok' }
 */
export async function resolveProbes(
  dataset: DatasetRef,
  probes: readonly string[],
  options: ResolveProbesOptions,
): Promise<Map<string, ProbeSource>> {
  const out = new Map<string, ProbeSource>();
  const shard = options.shard ?? null;
  const unique = [...new Set(probes)].filter((rel) => {
    if (inShard(rel, shard)) return true;
    out.set(rel, { path: null, status: 'other shard' });
    return false;
  });
  if (options.maskSource === 'none' || options.maskSource === 'real') {
    const base = options.maskSource === 'real' ? dataset.maskedDir! : dataset.root;
    for (const rel of unique) {
      const path = join(base, rel);
      out.set(rel, existsSync(path) ? { path, status: 'ok' } : { path: null, status: 'missing' });
    }
    return out;
  }
  const cacheRoot = resolve(options.cacheDir, 'masked', `${dataset.name}-${hashJson(options.maskSpec)}`);
  // mirror only the probes: masking all of LFW would take far longer than the pairs need
  const linkRoot = join(cacheRoot, 'input');
  const maskedRoot = join(cacheRoot, 'output');
  // a shard may own none of the probes: its (empty) run still records that it finished
  await mkdir(linkRoot, { recursive: true });
  for (const rel of unique) {
    const link = join(linkRoot, rel);
    if (existsSync(link)) continue;
    await mkdir(dirname(link), { recursive: true });
    try {
      await symlink(join(dataset.root, rel), link);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  await maskDataset(linkRoot, maskedRoot, options.maskSpec as Partial<MaskSpec>, {
    seed: options.seed ?? 1,
    shard,
    onProgress: (p) => options.onProgress?.(p.done, p.total),
  });
  const entries = shard
    ? await readShardEntries(maskedRoot, shard)
    : await readManifestOutputs(join(maskedRoot, MANIFEST_NAME));
  for (const rel of unique) {
    const entry = entries.get(rel);
    const status = entry?.status ?? 'not-processed';
    const path = [entry?.output, join(maskedRoot, rel)].find((c): c is string => !!c && existsSync(c));
    out.set(rel, status === 'masked' && path ? { path, status: 'ok' } : { path: null, status });
  }
  return out;
}

/** One image of a masking manifest: its effective status and, when the manifest names it, its masked copy. */
export interface ManifestOutput {
  status: string;
  /** Absolute path of the masked copy, when the manifest gives one (`output`). */
  output?: string;
}

/**
 * Reads a masking manifest (a file, or the output folder of `mfr mask`) with @mfr/masking's `readMaskManifest`:
 * keyed by `source`, the last line per image wins (a resumed or retried run appends), relative outputs resolved
 * against the manifest's folder. Throws when the manifest is missing (saying to run `mfr mask` first) or has a
 * malformed line (naming the file and line).
 *
 * @example
 * const entries = await readManifestOutputs('.mfr-cache/masked/lfw-abc/output/manifest.jsonl');
 * entries.get('Aaron/Aaron_0001.jpg'); // { status: 'masked', output: '/.../Aaron/Aaron_0001.jpg' }
 */
export async function readManifestOutputs(path: string): Promise<Map<string, ManifestOutput>> {
  const manifest = await readMaskManifest(path);
  const map = new Map<string, ManifestOutput>();
  for (const [source, entry] of manifest.entries) {
    const output = entry.output ? resolve(manifest.folder, entry.output) : undefined;
    map.set(source, { status: entry.status, ...(output ? { output } : {}) });
  }
  return map;
}

/** {@link readManifestOutputs} for a shard: the entries it starts from plus its own (see `readShardStart`). */
async function readShardEntries(maskedRoot: string, shard: Shard): Promise<Map<string, ManifestOutput>> {
  const map = new Map<string, ManifestOutput>();
  for (const [source, entry] of await readShardStart(maskedRoot, shard)) {
    map.set(source, {
      status: entry.status,
      ...(entry.output ? { output: resolve(maskedRoot, entry.output) } : {}),
    });
  }
  return map;
}

/**
 * Just the statuses of {@link readManifestOutputs}.
 *
 * @example
 * (await readManifestStatuses('manifest.jsonl')).get('a/1.jpg'); // 'masked'
 */
export async function readManifestStatuses(path: string): Promise<Map<string, string>> {
  const entries = await readManifestOutputs(path);
  return new Map([...entries].map(([k, v]) => [k, v.status]));
}
