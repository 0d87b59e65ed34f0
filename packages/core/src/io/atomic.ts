/** Atomic file writes: a temp file in the same folder, then rename (readers never see partial files). */
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
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
