/** Small file helpers: atomic writes, hashing, folders. */
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

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
