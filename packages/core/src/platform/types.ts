import type * as tf from '@tensorflow/tfjs-core';
import type { DecodeOptions, RgbPixels } from '../image/types.js';

/**
 * What differs between Node and browsers under the browser-safe entry. `#core-platform` (package.json
 * `imports`) resolves to platform/node.ts under Node and to platform/browser.ts everywhere else.
 */
export interface CorePlatform {
  /** A model location (a URL; in Node also a file path or `file:` URL) as a tfjs IOHandler. */
  ioHandler(location: string): tf.io.IOHandler;
  /** Encoded image bytes (JPEG, PNG, WebP, ...) to RGB pixels; netpbm is handled before this is called. */
  decodeImage(bytes: Uint8Array, name: string, options: DecodeOptions): Promise<RgbPixels>;
  /** A text file's contents from a URL (in Node also a path); errors name the location. */
  readText(location: string): Promise<string>;
  /** An image file (a URL; in Node also a path) decoded to RGB pixels; errors name the location. */
  readImage(location: string): Promise<RgbPixels>;
}

/** `fetch` that throws, naming the URL and the status, unless the response is OK. */
async function fetchOk(url: string): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(url);
  } catch (error) {
    throw new Error(`Cannot fetch "${url}": ${(error as Error).message}`);
  }
  if (!response.ok) throw new Error(`Cannot fetch "${url}": HTTP ${response.status} ${response.statusText}`);
  return response;
}

/** `fetch` of a text file, with an error that names the URL and the status. */
export async function fetchText(url: string): Promise<string> {
  return (await fetchOk(url)).text();
}

/** `fetch` of a binary file, with an error that names the URL and the status. */
export async function fetchBytes(url: string): Promise<Uint8Array> {
  return new Uint8Array(await (await fetchOk(url)).arrayBuffer());
}

/** True for an absolute URL with a scheme other than `file:` (http, https, blob, data, ...). */
export function isWebUrl(location: string): boolean {
  return (
    /^[a-z][a-z0-9+.-]*:/i.test(location) && !/^file:/i.test(location) && !/^[a-z]:[\\/]/i.test(location)
  );
}

/** A model URL as tfjs's HTTP loader wants it: a folder URL gets `/model.json`. */
export function modelJsonUrl(url: string): string {
  return /\.json([?#].*)?$/i.test(url) ? url : `${url.replace(/\/+$/, '')}/model.json`;
}
