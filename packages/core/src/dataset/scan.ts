/** Folder-per-identity datasets on disk -> {@link Dataset}. */
import { readdir, stat } from 'node:fs/promises';
import { basename, extname, join, resolve } from 'node:path';
import { DEFAULT_IMAGE_EXTENSIONS } from './image-extensions.js';
import { naturalCompare } from './natural_compare.js';
import type { Dataset, DatasetIdentity } from './types.js';

/** Options for {@link scanDataset}. */
export interface ScanDatasetOptions {
  /** Drop identities with fewer images. Default 1. */
  minImagesPerIdentity?: number;
  /** File extensions to include, case-insensitive, with or without the dot. Default {@link DEFAULT_IMAGE_EXTENSIONS}. */
  extensions?: readonly string[];
  /** Dataset name. Default: the folder's name. */
  name?: string;
  /** Folders read at once (bounded to keep file handles low). Default 32. */
  concurrency?: number;
}

async function isDirectory(path: string): Promise<boolean> {
  const info = await stat(path).catch(() => null);
  return info?.isDirectory() ?? false;
}

/**
 * Scans a folder-per-identity layout (`<dir>/<Identity>/<image>`), e.g. `lfw/images`, `yaleb`, `att`.
 * Identities and images are in natural order (`s2` before `s10`), so results are the same on every
 * machine. Hidden entries and files directly in `dir` are ignored. Throws if `dir` is missing, not a folder,
 * or has no identity with at least `minImagesPerIdentity` images.
 *
 * @example
 * const att = await scanDataset('../shared/datasets/att');                  // 40 identities, 400 images
 * const lfw = await scanDataset('../shared/datasets/lfw/images', { name: 'lfw', minImagesPerIdentity: 2 });
 */
export async function scanDataset(dir: string, options: ScanDatasetOptions = {}): Promise<Dataset> {
  const root = resolve(dir);
  const minImages = options.minImagesPerIdentity ?? 1;
  if (!Number.isInteger(minImages) || minImages < 1) {
    throw new Error(`scanDataset: minImagesPerIdentity must be an integer >= 1, got ${minImages}`);
  }
  const extensions = new Set(
    (options.extensions ?? DEFAULT_IMAGE_EXTENSIONS).map((e) =>
      (e.startsWith('.') ? e : `.${e}`).toLowerCase(),
    ),
  );
  const rootInfo = await stat(root).catch(() => null);
  if (!rootInfo) throw new Error(`Dataset folder "${root}" not found (check the path)`);
  if (!rootInfo.isDirectory()) throw new Error(`Dataset path "${root}" is not a folder`);

  const entries = (await readdir(root, { withFileTypes: true })).filter((e) => !e.name.startsWith('.'));
  const folders: string[] = [];
  for (const entry of entries) {
    if (entry.isDirectory() || (entry.isSymbolicLink() && (await isDirectory(join(root, entry.name))))) {
      folders.push(entry.name);
    }
  }
  folders.sort(naturalCompare);

  const identities: (DatasetIdentity | null)[] = new Array(folders.length).fill(null);
  const concurrency = Math.max(1, options.concurrency ?? 32);
  let next = 0;
  const worker = async () => {
    while (next < folders.length) {
      const i = next++;
      const folder = join(root, folders[i]);
      const files = await readdir(folder, { withFileTypes: true });
      const images = files
        .filter(
          (f) => !f.name.startsWith('.') && !f.isDirectory() && extensions.has(extname(f.name).toLowerCase()),
        )
        .map((f) => f.name)
        .sort(naturalCompare)
        .map((f) => join(folder, f));
      if (images.length >= minImages) identities[i] = { name: folders[i], images };
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, folders.length) }, worker));

  const kept = identities.filter((x): x is DatasetIdentity => x !== null);
  if (kept.length === 0) {
    const what =
      folders.length === 0 ? 'no identity sub-folders' : `no sub-folder with >= ${minImages} image(s)`;
    throw new Error(
      `Dataset folder "${root}" has ${what} (extensions ${[...extensions].join(', ')}); ` +
        'expected <dir>/<identity>/<image> files',
    );
  }
  return { name: options.name ?? basename(root), root, identities: kept };
}
