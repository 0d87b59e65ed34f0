/**
 * Atomic writes, the one implementation of the workspace: files go to a temp file in the same folder and are
 * renamed into place; folders are filled beside the target and swapped in. Readers never see partial output and
 * an interrupted run leaves the previous version.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

let counter = 0;

/** A temp path next to `path` (same folder, so a rename onto `path` is atomic). */
export function tempPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${counter++}.tmp`);
}

/**
 * Writes several files so that each appears complete or not at all: all temp files are written first, then
 * renamed in the given order (put the file that references the others last). Parent folders are created.
 *
 * @example
 * await writeFilesAtomic([['m/weights.bin', bytes], ['m/model.json', json]]);
 */
export async function writeFilesAtomic(
  files: ReadonlyArray<readonly [string, Uint8Array | string]>,
): Promise<void> {
  const temps = files.map(([path]) => tempPathFor(path));
  try {
    for (let i = 0; i < files.length; i++) {
      await mkdir(dirname(files[i][0]), { recursive: true });
      await writeFile(temps[i], files[i][1]);
    }
    for (let i = 0; i < files.length; i++) await rename(temps[i], files[i][0]);
  } catch (error) {
    await Promise.all(temps.map((t) => rm(t, { force: true })));
    throw new Error(
      `Could not write ${files.map(([p]) => `"${p}"`).join(', ')}: ${(error as Error).message}`,
    );
  }
}

/**
 * Writes one file atomically (see {@link writeFilesAtomic}).
 *
 * @example
 * await writeFileAtomic('out/results.json', JSON.stringify(results));
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  await writeFilesAtomic([[path, data]]);
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
