/** Folder-per-identity datasets: `<root>/<identity>/<image>`. */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { isImageFile } from '@mfr/core';

/** One identity and its images (paths relative to the dataset root, `/`-separated, sorted). */
export interface IdentityImages {
  identity: string;
  images: string[];
}

/**
 * Lists the identities of a folder-per-identity dataset with their image files (relative paths, sorted by
 * name so the listing is the same on every machine). Folders without images are left out; files directly in
 * the root are ignored.
 *
 * @example
 * const ids = await listIdentities('../shared/datasets/att');
 * ids[0]; // { identity: 's1', images: ['s1/1.png', 's1/10.png', ...] }
 */
export async function listIdentities(root: string): Promise<IdentityImages[]> {
  let entries: import('node:fs').Dirent[];
  try {
    entries = await readdir(root, { withFileTypes: true });
  } catch (error) {
    throw new Error(`Dataset folder ${root} cannot be read (${(error as Error).message}).`);
  }
  const folders = entries
    .filter((e) => e.isDirectory() || e.isSymbolicLink())
    .map((e) => e.name)
    .filter((name) => !name.startsWith('.'))
    .sort(compareNames);
  const result: IdentityImages[] = [];
  for (const identity of folders) {
    let files: string[];
    try {
      files = await readdir(join(root, identity));
    } catch {
      continue; // a symlink to a file, or an unreadable folder
    }
    const images = files
      .filter((f) => isImageFile(f))
      .sort(compareNames)
      .map((f) => `${identity}/${f}`);
    if (images.length > 0) result.push({ identity, images });
  }
  if (result.length === 0) {
    throw new Error(
      `Dataset folder ${root} has no identity sub-folders with images (expected <root>/<name>/<image>).`,
    );
  }
  return result;
}

/** The identity of a dataset-relative image path (its first folder). */
export function identityOf(relativePath: string): string {
  const slash = relativePath.indexOf('/');
  return slash < 0 ? '' : relativePath.slice(0, slash);
}

// plain code-unit order: stable across locales
function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
