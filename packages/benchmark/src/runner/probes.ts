/**
 * Where each pair's probe image comes from: a synthetic masked copy (made by @mfr/masking and cached), a real
 * masked photo (`--masked-dir`, used as is), or the unmasked original (`--no-mask`, a sanity check).
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, symlink } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { DatasetRef, MaskSource } from '../datasets/resolve.js';
import { hashJson } from '../util/fs.js';
import { maskImagesDirect, maskedPathFor } from './direct-masking.js';

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
  /** Progress callback for the masking step. */
  onProgress?: (done: number, total: number) => void;
}

/**
 * Resolves probe images (relative paths of the pair list) to files. Synthetic masks: the probes are linked into a
 * mirror folder and masked with @mfr/masking's `maskDataset` into `.mfr-cache/masked/<dataset>-<spec hash>/`
 * (or, where the masking package has no `maskDataset`, with `renderMask` directly, see direct-masking.ts); a
 * rerun resumes. Only images with manifest status 'masked' are used, the rest are dropped with their status.
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
  const unique = [...new Set(probes)];
  if (options.maskSource === 'none' || options.maskSource === 'real') {
    const base = options.maskSource === 'real' ? dataset.maskedDir! : dataset.root;
    for (const rel of unique) {
      const path = join(base, rel);
      out.set(rel, existsSync(path) ? { path, status: 'ok' } : { path: null, status: 'missing' });
    }
    return out;
  }
  const cacheRoot = resolve(options.cacheDir, 'masked', `${dataset.name}-${hashJson(options.maskSpec)}`);
  const masking = (await import('@mfr/masking')) as Record<string, unknown>;
  let maskedRoot: string;
  let statuses: Map<string, string>;
  if (typeof masking.maskDataset === 'function') {
    // mirror only the probes: masking all of LFW would take far longer than the pairs need
    const linkRoot = join(cacheRoot, 'input');
    maskedRoot = join(cacheRoot, 'output');
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
    statuses = await runMasking(masking.maskDataset as MaskDatasetFn, linkRoot, maskedRoot, options);
  } else {
    maskedRoot = join(cacheRoot, 'direct');
    statuses = await maskImagesDirect(dataset.root, maskedRoot, unique, {
      spec: options.maskSpec,
      seed: options.seed,
      onProgress: options.onProgress,
    });
  }
  for (const rel of unique) {
    const status = statuses.get(rel) ?? 'not-processed';
    const candidates = [maskedPathFor(maskedRoot, rel), join(maskedRoot, rel)];
    const path = candidates.find((c) => existsSync(c));
    out.set(rel, status === 'masked' && path ? { path, status: 'ok' } : { path: null, status });
  }
  return out;
}

type MaskDatasetFn = (input: string, output: string, spec: unknown, opts?: Record<string, unknown>) => Promise<unknown>;

async function runMasking(
  maskDataset: MaskDatasetFn,
  inputDir: string,
  outputDir: string,
  options: ResolveProbesOptions,
): Promise<Map<string, string>> {
  await maskDataset(inputDir, outputDir, options.maskSpec, {
    seed: options.seed ?? 1,
    onProgress: options.onProgress,
  });
  return readManifestStatuses(join(outputDir, 'manifest.jsonl'));
}

/**
 * Reads a masking manifest (JSON lines with the image's relative path and its `status`); the last line per
 * image wins (a resumed run appends).
 *
 * @example
 * const statuses = await readManifestStatuses('.mfr-cache/masked/lfw-abc/output/manifest.jsonl');
 * statuses.get('Aaron/Aaron_0001.jpg'); // 'masked'
 */
export async function readManifestStatuses(path: string): Promise<Map<string, string>> {
  const map = new Map<string, string>();
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return map;
  }
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      const entry = JSON.parse(line) as Record<string, unknown>;
      const rel = [entry.path, entry.relativePath, entry.input, entry.file, entry.source].find(
        (v) => typeof v === 'string',
      ) as string | undefined;
      if (rel && typeof entry.status === 'string') map.set(rel.replace(/\\/g, '/'), entry.status);
    } catch {
      // torn line from an interrupted run
    }
  }
  return map;
}
