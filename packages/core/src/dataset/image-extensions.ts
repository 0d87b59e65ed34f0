/**
 * Image file extensions the toolkit reads (those `decodeImage` decodes in Node: sharp's formats plus netpbm):
 * the one list that dataset scans, batch masking and the benchmark's folder datasets share.
 */
export const DEFAULT_IMAGE_EXTENSIONS: readonly string[] = Object.freeze([
  '.jpg',
  '.jpeg',
  '.png',
  '.webp',
  '.gif',
  '.tif',
  '.tiff',
  '.avif',
  '.pgm',
  '.ppm',
  '.pnm',
  '.pbm',
]);

/**
 * True when a file name ends in one of `extensions` (case-insensitive; hidden files excluded).
 *
 * @example
 * isImageFile('a/B.JPG'); // true
 * isImageFile('.DS_Store'); // false
 */
export function isImageFile(name: string, extensions: readonly string[] = DEFAULT_IMAGE_EXTENSIONS): boolean {
  const base = name.slice(name.lastIndexOf('/') + 1);
  if (base.startsWith('.')) return false;
  const dot = base.lastIndexOf('.');
  return dot > 0 && extensions.includes(base.slice(dot).toLowerCase());
}
