/** Small file helpers: atomic writes, hashing, folders. */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Writes a file atomically: a temporary sibling first, then rename, so readers never see half a file and an
 * interrupted run leaves the old version.
 *
 * @example
 * await writeFileAtomic('out/results.json', JSON.stringify(results));
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  await writeFile(tmp, data);
  await rename(tmp, path);
}

/**
 * SHA-1 of a file's bytes, hex. Used as the cache key of embeddings, so a changed file is embedded again.
 *
 * @example
 * await hashFile('a.jpg'); // '3f786850e387550fdab836ed7e6dc881de23001b'
 */
export async function hashFile(path: string): Promise<string> {
  return createHash('sha1')
    .update(await readFile(path))
    .digest('hex');
}

/**
 * Short stable hash of any JSON-able value (key order matters), for cache folder names.
 *
 * @example
 * hashJson({ color: 'lightblue' }); // 'a1b2c3d4e5'
 */
export function hashJson(value: unknown, length = 10): string {
  return createHash('sha1').update(JSON.stringify(value)).digest('hex').slice(0, length);
}

/** Options of {@link writeFolderAtomic}. */
export interface WriteFolderAtomicOptions {
  /**
   * A file that every complete output folder holds (e.g. `demo.json`). An existing, non-empty `dir` without it
   * is someone else's folder and is not replaced [none: any existing folder is replaced].
   */
  marker?: string;
}

/**
 * Calls `fill` with a new empty folder beside `dir` and, when `fill` resolves, puts that folder in place of
 * `dir` (the previous `dir`, if any, is removed only then). When `fill` throws, the temporary folder is removed,
 * `dir` is left as it was, and the error is passed on.
 *
 * @example
 * await writeFolderAtomic('mfr-demo', async (staging) => {
 *   await writeFile(join(staging, 'demo.json'), json);
 * }, { marker: 'demo.json' });
 */
export async function writeFolderAtomic<T>(
  dir: string,
  fill: (staging: string) => Promise<T>,
  options: WriteFolderAtomicOptions = {},
): Promise<T> {
  await assertReplaceable(dir, options.marker);
  const unique = `${process.pid}.${randomBytes(4).toString('hex')}`;
  const staging = join(dirname(dir), `.${basename(dir)}.${unique}.tmp`);
  await mkdir(staging, { recursive: true });
  let result: T;
  try {
    result = await fill(staging);
    await swapInto(staging, dir, join(dirname(dir), `.${basename(dir)}.${unique}.old`));
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
  return result;
}

/** Moves `staging` to `dir`; an existing `dir` is moved to `old` first, and back when the move fails. */
async function swapInto(staging: string, dir: string, old: string): Promise<void> {
  const hadOld = existsSync(dir);
  if (hadOld) await rename(dir, old);
  try {
    await rename(staging, dir);
  } catch (error) {
    if (hadOld) await rename(old, dir);
    throw error;
  }
  if (hadOld) await rm(old, { recursive: true, force: true });
}

/** Throws unless `dir` is absent, an empty folder, or a folder holding `marker` (a previous output). */
async function assertReplaceable(dir: string, marker: string | undefined): Promise<void> {
  if (!existsSync(dir)) return;
  if (!(await stat(dir)).isDirectory()) {
    throw new Error(
      `Output folder "${dir}" is a file: give a folder path (the output is written as a folder).`,
    );
  }
  if (!marker || existsSync(join(dir, marker)) || (await readdir(dir)).length === 0) return;
  throw new Error(
    `Output folder "${dir}" already holds other files (it has no ${marker}, so it is not an earlier output) and would be replaced as a whole: choose a new or empty folder, or remove it first.`,
  );
}
