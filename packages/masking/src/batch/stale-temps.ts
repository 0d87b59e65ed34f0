/**
 * Temp files that a killed run left in an output tree. Masked images and masks are written atomically by
 * @mfr/core's `writeFilesAtomic`: to `.<name>.<pid>.<n>.tmp` next to the target, then renamed. A run killed between
 * the two (kill -9, power loss) leaves the temp file behind.
 */
import { opendir, rm } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';

// @mfr/core's tempPathFor names, for the image formats the batch job writes (see outputPathFor and maskPathFor)
const TEMP_FILE = /^\.(.+\.(?:jpe?g|png|webp))\.(\d+)\.(\d+)\.tmp$/i;

/**
 * Whether `name` (a file name, no folder) is a temp file of an atomic image write by a process other than this
 * one. Files of this process are never stale: its own writes may be in flight.
 *
 * @example
 * isStaleTempFile('.face.jpg.99999.0.tmp'); // true (unless this process has pid 99999)
 * isStaleTempFile('notes.tmp'); // false
 */
export function isStaleTempFile(name: string, pid: number = process.pid): boolean {
  const match = TEMP_FILE.exec(name);
  return match !== null && Number(match[2]) !== pid;
}

/** Options of {@link removeStaleTempFiles}. */
export interface RemoveStaleTempFilesOptions {
  /** Absolute folders not to enter (e.g. the input folder when it lies inside the output folder). */
  readonly exclude?: readonly string[];
}

/**
 * Deletes the temp files that earlier, interrupted runs left under `root` (hidden folders such as `.masks/`
 * included, symbolic links not followed) and returns their `/`-separated paths relative to `root`. Only names of
 * the atomic-write pattern are touched, never other files. Assumes no other process writes into `root` meanwhile.
 *
 * @example
 * await removeStaleTempFiles('out/masked'); // ['a/.1.jpg.4711.3.tmp']
 */
export async function removeStaleTempFiles(
  root: string,
  options: RemoveStaleTempFilesOptions = {},
): Promise<string[]> {
  const base = resolve(root);
  const exclude = (options.exclude ?? []).map((p) => resolve(p));
  const removed: string[] = [];
  const visit = async (dir: string): Promise<void> => {
    for await (const entry of await opendir(dir)) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!exclude.includes(path)) await visit(path);
      } else if (entry.isFile() && isStaleTempFile(entry.name)) {
        await rm(path, { force: true });
        removed.push(relative(base, path).split(sep).join('/'));
      }
    }
  };
  await visit(base);
  return removed.sort();
}
