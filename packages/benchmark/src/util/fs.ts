/** Small file helpers: hashing for cache keys (atomic writes are @mfr/core/node's). */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';

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
