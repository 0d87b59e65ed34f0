import { createRng } from '@mfr/core';

/**
 * The seed of one image: derived from the base seed and the image's relative path only, so results do not
 * depend on the order (or the worker) in which images are processed.
 *
 * @example
 * imageSeed(0, 'Aaron_Eckhart/Aaron_Eckhart_0001.jpg'); // an unsigned 32-bit integer, always the same
 */
export function imageSeed(baseSeed: number | string, relativePath: string): number {
  return createRng(`${baseSeed}:${relativePath}`).uint32();
}
