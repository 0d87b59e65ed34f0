/** Lazy, sorted walks over image folders (never holds more than one folder listing). */
import { opendir } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { isImageFile } from '@mfr/core';

export interface WalkOptions {
  /** Absolute folders to skip (e.g. the output folder when it lies inside the input). */
  readonly exclude?: readonly string[];
}

const isImage = (name: string) => isImageFile(name);

/**
 * Yields the image files under `root` as `/`-separated paths relative to it, in sorted order (names compared
 * as strings, folders depth-first). Hidden files and folders (leading `.`) are skipped.
 *
 * @example
 * for await (const rel of walkImages('../shared/datasets/att')) console.log(rel); // 's1/1.png', ...
 */
export async function* walkImages(root: string, options: WalkOptions = {}): AsyncGenerator<string> {
  const base = resolve(root);
  const exclude = (options.exclude ?? []).map((p) => resolve(p));
  async function* visit(dir: string): AsyncGenerator<string> {
    const names: { name: string; dir: boolean }[] = [];
    const handle = await opendir(dir);
    for await (const entry of handle) {
      if (entry.name.startsWith('.')) continue;
      if (entry.isDirectory()) names.push({ name: entry.name, dir: true });
      else if ((entry.isFile() || entry.isSymbolicLink()) && isImage(entry.name))
        names.push({ name: entry.name, dir: false });
    }
    names.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const { name, dir: isDir } of names) {
      const path = join(dir, name);
      if (isDir) {
        if (!exclude.includes(path)) yield* visit(path);
      } else {
        yield relative(base, path).split(sep).join('/');
      }
    }
  }
  yield* visit(base);
}

/**
 * Counts the images `walkImages` would yield (a names-only pass, for progress and ETA), up to `limit`.
 *
 * @example
 * const total = await countImages('../shared/datasets/att'); // 400
 */
export async function countImages(
  root: string,
  options: WalkOptions & { limit?: number } = {},
): Promise<number> {
  let n = 0;
  const limit = options.limit ?? Number.POSITIVE_INFINITY;
  for await (const _ of walkImages(root, options)) {
    if (++n >= limit) break;
  }
  return n;
}
