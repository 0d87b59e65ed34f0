/** Image bytes -> 8-bit RGB pixels, in Node (sharp) and in browsers (the page's image decoder). */
import { platform } from '#core-platform';
import { decodeNetpbm, isNetpbm } from './netpbm.js';
import { type DecodeOptions, imageError, type RgbPixels } from './types.js';

/**
 * Decodes image bytes held in memory to RGB pixels: JPEG, PNG, WebP (Node: through sharp, with EXIF
 * orientation; browsers: `createImageBitmap`), and netpbm (PGM/PPM/PBM, parsed here). Greyscale becomes three
 * equal channels, alpha is dropped. `name` is only used in error messages.
 * Throws `Cannot read image "<name>": empty file` or `...: unsupported or corrupt image: <reason>`.
 *
 * @example
 * const { data, width, height } = await decodeImage(new Uint8Array(await file.arrayBuffer()), file.name);
 */
export async function decodeImage(
  bytes: Uint8Array,
  name = '<buffer>',
  options: DecodeOptions = {},
): Promise<RgbPixels> {
  if (bytes.length === 0) throw imageError(name, 'empty file');
  // netpbm without resizing is pure JS on every platform; resizing goes through the platform's decoder
  if (isNetpbm(bytes) && !options.size) {
    try {
      return decodeNetpbm(bytes);
    } catch (error) {
      throw imageError(name, `unsupported or corrupt image: ${(error as Error).message}`);
    }
  }
  return platform.decodeImage(bytes, name, options);
}

/**
 * Reads and decodes an image file: a URL (fetched), or in Node also a path or `file:` URL (read from disk,
 * with errors such as 'not found' or 'is a directory' naming the file).
 *
 * @example
 * const { data, width, height } = await readImageFrom('/photos/reference.jpg');
 */
export async function readImageFrom(location: string): Promise<RgbPixels> {
  return platform.readImage(location);
}
