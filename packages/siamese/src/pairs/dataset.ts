/**
 * Node: a pair dataset from folders, an unmasked folder-per-identity dataset plus its masked copy (from the
 * masking job); probes are masked photos with status 'masked' in the manifest.
 */
import { basename, dirname, relative, sep } from 'node:path';
import { type ManifestProbe, readManifestProbes } from './manifest.js';
import type { PairDataset, PairIdentity } from './pair-dataset.js';

/** Options for {@link loadPairDataset}. */
export interface LoadPairDatasetOptions {
  /** Folder-per-identity unmasked dataset root, e.g. `../shared/datasets/lfw/images`. */
  dataDir: string;
  /** Masked copy with `manifest.jsonl`, e.g. `.mfr-cache/masked/lfw`. */
  maskedDir: string;
  /** Dataset name in logs. Default: the masked dir's base name. */
  name?: string;
}

function identityOf(dataDir: string, source: string): string {
  const rel = relative(dataDir, source);
  if (rel && !rel.startsWith('..') && rel.includes(sep)) return rel.split(sep)[0];
  return basename(dirname(source));
}

/**
 * Groups manifest entries by identity. Every source becomes a reference (masked or not); sources whose
 * masking succeeded also give a probe.
 *
 * @example
 * const ds = pairDatasetFromManifest('lfw', '../shared/datasets/lfw/images', await readManifestProbes(dir));
 */
export function pairDatasetFromManifest(
  name: string,
  dataDir: string,
  entries: readonly ManifestProbe[],
): PairDataset {
  const byId = new Map<string, PairIdentity>();
  const seen = new Set<string>();
  for (const e of entries) {
    const id = identityOf(dataDir, e.source);
    let identity = byId.get(id);
    if (!identity) {
      identity = { id, references: [], probes: [] };
      byId.set(id, identity);
    }
    if (!seen.has(e.source)) {
      seen.add(e.source);
      identity.references.push(e.source);
    }
    if (e.status === 'masked' && e.output) {
      identity.probes.push({
        path: e.output,
        source: e.source,
        ...(e.landmarks68 ? { landmarks68: e.landmarks68 } : {}),
      });
    }
  }
  const identities = [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (const identity of identities) {
    identity.references.sort();
    identity.probes.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }
  return { name, identities };
}

/**
 * Reads a masked copy's manifest and groups it into a {@link PairDataset}.
 *
 * @example
 * const lfw = await loadPairDataset({ dataDir: '../shared/datasets/lfw/images', maskedDir: '.mfr-cache/masked/lfw' });
 */
export async function loadPairDataset(options: LoadPairDatasetOptions): Promise<PairDataset> {
  const entries = await readManifestProbes(options.maskedDir, { sourceRoot: options.dataDir });
  const name = options.name ?? basename(options.maskedDir.replace(/[\\/]+$/, ''));
  const ds = pairDatasetFromManifest(name, options.dataDir, entries);
  if (!ds.identities.some((i) => i.probes.length > 0)) {
    throw new Error(
      `loadPairDataset: ${options.maskedDir} has no image with status 'masked'; nothing to use as a probe`,
    );
  }
  return ds;
}
