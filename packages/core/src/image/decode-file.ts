/**
 * Node: image bytes -> 8-bit RGB pixels through sharp (JPEG, PNG, WebP, ... with EXIF orientation applied;
 * netpbm is parsed in JS), and image files -> pixels. Greyscale becomes three equal channels, alpha is dropped.
 */
import { readFile, stat } from 'node:fs/promises';
import sharp from 'sharp';
import { decodeNetpbm, isNetpbm } from './netpbm.js';
import { type DecodeOptions, imageError, type RgbPixels } from './types.js';

// Interleaved n-channel bytes -> RGB, dropping alpha and repeating grey.
function toRgb(data: Uint8Array, width: number, height: number, channels: number): Uint8Array {
  if (channels === 3) return data;
  const out = new Uint8Array(width * height * 3);
  const grey = channels < 3;
  for (let p = 0, n = width * height; p < n; p++) {
    const src = p * channels;
    out[p * 3] = data[src];
    out[p * 3 + 1] = data[grey ? src : src + 1];
    out[p * 3 + 2] = data[grey ? src : src + 2];
  }
  return out;
}

/** sharp's decoder behind `decodeImage` in Node (see image/decode-image.ts). */
export async function decodeWithSharp(
  bytes: Uint8Array,
  name = '<buffer>',
  options: DecodeOptions = {},
): Promise<RgbPixels> {
  if (bytes.length === 0) throw imageError(name, 'empty file');
  let input: Uint8Array = bytes;
  let raw: sharp.SharpOptions['raw'];
  if (isNetpbm(bytes)) {
    let decoded: RgbPixels;
    try {
      decoded = decodeNetpbm(bytes);
    } catch (error) {
      throw imageError(name, `unsupported or corrupt image: ${(error as Error).message}`);
    }
    if (!options.size) return decoded;
    input = decoded.data;
    raw = { width: decoded.width, height: decoded.height, channels: 3 };
  }
  try {
    // sequential access: the same pixels, a quarter less CPU per decode (one pass over the file)
    let pipeline = sharp(input, { raw, failOn: 'error', sequentialRead: true }).rotate();
    if (options.size) {
      const [height, width] = options.size;
      pipeline = pipeline.resize({
        width,
        height,
        fit: options.fit ?? 'fill',
        background: { r: 0, g: 0, b: 0 },
      });
    }
    // 8-bit sRGB, alpha removed; grey stays one channel and is expanded below
    const { data, info } = await pipeline
      .removeAlpha()
      .toColourspace('srgb')
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
    const pixels = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    return {
      data: toRgb(pixels, info.width, info.height, info.channels),
      width: info.width,
      height: info.height,
      channels: 3,
    };
  } catch (error) {
    const message = (error as Error).message.split('\n')[0];
    throw imageError(name, `unsupported or corrupt image: ${message}`);
  }
}

/**
 * Reads and decodes an image file to RGB pixels (no tensor). Throws an Error naming the file and
 * the reason: 'not found', 'is a directory', 'empty file' or 'unsupported or corrupt image: ...'.
 *
 * @example
 * const { data, width, height } = await readImagePixels('../shared/datasets/att/s1/1.png');
 * // data.length === width * height * 3
 */
export async function readImagePixels(path: string, options: DecodeOptions = {}): Promise<RgbPixels> {
  let bytes: Uint8Array;
  try {
    const info = await stat(path);
    if (info.isDirectory()) throw imageError(path, 'is a directory, expected an image file');
    bytes = await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw imageError(path, 'not found (check the path)');
    if (code === 'EACCES') throw imageError(path, 'permission denied');
    if (code) throw imageError(path, (error as Error).message);
    throw error;
  }
  return decodeWithSharp(bytes, path, options);
}
