/** Node side of the browser-safe entry: file paths load from disk, images decode through sharp. */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { decodeWithSharp, readImagePixels } from '../image/decode-file.js';
import { fileSystemHandler } from '../io/file_system_handler.js';
import { type CorePlatform, fetchBytes, fetchText, isWebUrl, modelJsonUrl } from './types.js';

const toPath = (location: string) => (/^file:/i.test(location) ? fileURLToPath(location) : location);

export const platform: CorePlatform = {
  ioHandler(location) {
    if (isWebUrl(location)) return tf.io.http(modelJsonUrl(location));
    return fileSystemHandler(toPath(location));
  },
  decodeImage: decodeWithSharp,
  async readText(location) {
    if (isWebUrl(location)) return fetchText(location);
    try {
      return await readFile(toPath(location), 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new Error(
        `Cannot read "${location}": ${code === 'ENOENT' ? 'not found' : (error as Error).message}`,
      );
    }
  },
  async readImage(location) {
    if (isWebUrl(location)) return decodeWithSharp(await fetchBytes(location), location, {});
    return readImagePixels(toPath(location));
  },
};
